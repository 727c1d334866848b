package io.numaagent.bootstrap;

/**
 * The only agent code that engine threads execute. Advice inlined into {@code Thread.run()} (and
 * into every subclass that overrides it) calls {@link #enter} and {@link #exit}; advice on
 * {@code Thread.setName} calls {@link #renamed}. It lives on the boot class path because it is
 * called from {@code java.lang.Thread}; everything it delegates to lives in the agent class loader.
 *
 * <p>Rules kept here, learnt from Needle's start-up deadlock: load nothing, take no lock, start
 * nothing, and never let a {@code Throwable} reach the engine's thread.
 */
public final class ThreadStartHook {

    private static volatile ThreadStartListener listener;

    /**
     * Nesting depth of instrumented {@code run()} frames per thread: a subclass whose
     * {@code run()} calls {@code super.run()} enters twice, and only the outermost counts.
     */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private ThreadStartHook() {
    }

    public static void install(ThreadStartListener newListener) {
        listener = newListener;
    }

    public static ThreadStartListener installed() {
        return listener;
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
