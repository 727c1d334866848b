package io.numaagent.bootstrap;

/**
 * The only agent code that engine threads execute. Calls woven into {@code Thread.run()} (and
 * into every subclass that overrides it) call {@link #enter} and {@link #exit}; calls woven into
 * {@code Thread.setName} call {@link #renamed}, and calls woven into {@code Thread.start()} call
 * {@link #starting}, which weaves a Thread subclass the first time one of its threads starts. It
 * lives on the boot class path because it is called from {@code java.lang.Thread}; everything it
 * delegates to lives in the agent class loader.
 *
 * <p>Rules kept here, learnt from Needle's start-up deadlock: load nothing, take no lock, start
 * nothing, and never let a {@code Throwable} reach the engine's thread. (The weaver behind
 * {@link #starting} takes its own lock and retransforms a class, on the first start of each new
 * Thread subclass only; see {@code LazyThreadWeaver}.)
 */
public final class ThreadStartHook {

    private static volatile ThreadStartListener listener;
    private static volatile ThreadClassWeaver weaver;

    /**
     * Nesting depth of instrumented {@code run()} frames per thread: a subclass whose
     * {@code run()} calls {@code super.run()} enters twice, and only the outermost counts.
     */
    private static final ThreadLocal<int[]> DEPTH = new Depth();

    /** A class, not {@code ThreadLocal.withInitial} and a lambda: premain loads this class, and a lambda costs a cold JVM a generated class. */
    private static final class Depth extends ThreadLocal<int[]> {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    }

    private ThreadStartHook() {
    }

    public static void install(ThreadStartListener newListener) {
        listener = newListener;
    }

    public static ThreadStartListener installed() {
        return listener;
    }

    /** Set before the listener is armed: {@link #starting} does nothing until both are there. */
    public static void installWeaver(ThreadClassWeaver newWeaver) {
        weaver = newWeaver;
    }

    public static ThreadClassWeaver installedWeaver() {
        return weaver;
    }

    /**
     * Called at the entry of {@code Thread.start()} (and, JDK 21+, of {@code start(ThreadContainer)}),
     * on the thread that starts {@code thread}, before the new thread exists. For a thread of a class
     * already seen this is two field reads and a lookup in the weaver; the first start of a new
     * Thread subclass weaves its {@code run()} here (the one place the agent takes a lock, its own).
     */
    public static void starting(Thread thread) {
        if (listener == null) {
            return;
        }
        ThreadClassWeaver current = weaver;
        if (current == null) {
            return;
        }
        try {
            current.beforeStart(thread);
        } catch (Throwable ignored) {
            // The weaver records its own failures; start() must go on as if nothing was woven.
        }
    }

    public static void enter(Thread self) {
        ThreadStartListener current = listener;
        // run() called directly on another thread object is not a thread start.
        if (current == null || self != Thread.currentThread()) {
            return;
        }
        try {
            if (DEPTH.get()[0]++ == 0) {
                current.threadStarted(self);
            }
        } catch (Throwable ignored) {
            // The listener reports its own failures; nothing may reach the engine's thread.
        }
    }

    public static void exit(Thread self) {
        ThreadStartListener current = listener;
        if (current == null || self != Thread.currentThread()) {
            return;
        }
        try {
            if (--DEPTH.get()[0] == 0) {
                current.threadEnded(self);
            }
        } catch (Throwable ignored) {
            // as in enter
        }
    }

    /** Called at the end of {@code setName}, on whichever thread renamed {@code self}. */
    public static void renamed(Thread self) {
        ThreadStartListener current = listener;
        // A thread named before start() is seen by enter(); only running ones are renames.
        if (current == null || !self.isAlive()) {
            return;
        }
        try {
            current.threadRenamed(self);
        } catch (Throwable ignored) {
            // as in enter
        }
    }
}
