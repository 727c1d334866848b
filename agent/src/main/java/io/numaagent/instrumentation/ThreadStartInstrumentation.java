package io.numaagent.instrumentation;

import io.numaagent.bootstrap.ThreadStartHook;
import io.numaagent.bootstrap.ThreadStartListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes every platform thread call {@link ThreadStartHook#enter} inside itself, before any code
 * of its own runs, by calls woven into {@code run()} of {@code java.lang.Thread} and of each subclass that
 * declares one (the only hook point that saw every case in the research: factories, subclasses,
 * ForkJoinPool workers, {@code Timer}, JDK 21+ thread containers).
 *
 * <p>No class file transformer stays registered (any one, even a no-op, slows every class load of
 * the JVM): {@code java.lang.Thread} is woven at install (with the subclasses already loaded, when
 * attached to a running JVM), and every other subclass at the first {@code start()} of one of its
 * threads, through a call woven into {@code Thread.start()}; see {@link LazyThreadWeaver}, which also
 * states the trade-off (another agent retransforming Thread or a woven subclass later removes the calls
 * from that class).
 *
 * <p>Not caught, by design: threads already running at install (the main thread among them; the
 * caller handles main itself), and virtual threads, which never execute {@code Thread.run()}.
 * On JDK 21+ carrier threads of virtual threads are ForkJoinPool workers and are seen like any.
 */
public final class ThreadStartInstrumentation {

    private static final Object LOCK = new Object();
    private static volatile LazyThreadWeaver lazyWeaver;

    private ThreadStartInstrumentation() {
    }

    /**
     * {@link #install(Instrumentation, ThreadStartListener, boolean, boolean)} with the threads' Runnables
     * readable and the loaded subclasses woven at once, as for an agent attached to a running JVM.
     */
    public static InstallReport install(Instrumentation inst, ThreadStartListener listener) {
        return install(inst, listener, true, true);
    }

    /**
     * Instruments {@code java.lang.Thread} (and, if asked, its loaded subclasses), installs the
     * weaver that instruments every other subclass at the first start of one of its threads, and
     * finally arms {@link ThreadStartHook} with {@code listener}. Never throws; every problem is a
     * line in the report. A second call only replaces the listener.
     *
     * @param readRunnables         whether {@link ThreadIntrospection#initialRunnable} must answer (a
     *                              rule matches by {@code runnable-class}); without, it answers null
     * @param weaveLoadedSubclasses whether the subclasses loaded now are woven now, in the same
     *                              retransformation as Thread: worth it when attached to a running
     *                              engine, whose thread classes would each cost their first start a
     *                              retransformation of its own. At premain the only ones are the JDK's
     *                              (the finalizer and reference handler, already running, and
     *                              {@code InnocuousThread}), which the first start of one weaves like
     *                              any; weaving them at once cost premain a few milliseconds for nothing.
     */
    public static InstallReport install(Instrumentation inst, ThreadStartListener listener, boolean readRunnables,
                                        boolean weaveLoadedSubclasses) {
        long start = System.nanoTime();
        List<String> instrumented = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            synchronized (LOCK) {
                if (lazyWeaver != null) {
                    failures.add("thread-start instrumentation was already installed; only the listener was replaced");
                } else {
                    instrument(inst, readRunnables, weaveLoadedSubclasses, instrumented, failures);
                }
                if (instrumented.contains(Thread.class.getName()) || lazyWeaver != null) {
                    // Armed last: before this, the woven calls find no listener and return at once.
                    ThreadStartHook.install(listener);
                }
            }
        } catch (Throwable t) {
            failures.add("thread-start instrumentation failed: " + t);
        }
        return new InstallReport(instrumented, failures, System.nanoTime() - start);
    }

    /**
     * Classes that could not be instrumented after {@link #install}, at the first start of one
     * of their threads, oldest first, at most 256; empty before install.
     */
    public static List<String> failuresSinceInstall() {
        LazyThreadWeaver current = lazyWeaver;
        return current == null ? List.of() : current.failures();
    }

    /**
     * Hands each class that could not be instrumented after install to {@code sink}: those so far
     * at once, later ones as they happen, on the thread that started a thread of that class (so the
     * sink must not block for long nor start threads). Does nothing before install.
     */
    public static void failuresSinceInstallTo(Consumer<String> sink) {
        LazyThreadWeaver current = lazyWeaver;
        if (current != null) {
            current.failuresTo(sink);
        }
    }

    /**
     * {@code "N lazy weave(s), mean M µs"}: Thread subclasses woven at their first start since
     * install, and the mean time that first {@code start()} spent weaving; null before install.
     */
    public static String lazyWeaveSummary() {
        LazyThreadWeaver current = lazyWeaver;
        if (current == null) {
            return null;
        }
        long[] stats = current.lazyWeaveStats();
        return stats[0] + " lazy weave(s)" + (stats[0] == 0 ? "" : ", mean " + stats[1] / stats[0] / 1000 + " µs");
    }

    /** The installed weaver (tests), or null. */
    static LazyThreadWeaver lazyWeaver() {
        return lazyWeaver;
    }

    private static void instrument(Instrumentation inst, boolean readRunnables, boolean weaveLoadedSubclasses,
                                   List<String> instrumented, List<String> failures) {
        ClassLoader hookLoader = ThreadStartHook.class.getClassLoader();
        if (hookLoader != null) {
            // Calls woven into java.lang.Thread resolve the hook through the boot loader; a hook
            // anywhere else is never reached (each call would fail to resolve, silently).
            failures.add(ThreadStartHook.class.getName() + " is loaded by " + hookLoader
                    + ", not the boot loader (is the agent jar named in Boot-Class-Path?); java.lang.Thread left as it is");
            return;
        }
        if (!inst.isRetransformClassesSupported()) {
            failures.add("this JVM does not support class retransformation (agent manifest needs Can-Retransform-Classes: true);"
                    + " java.lang.Thread left as it is");
            return;
        }
        try {
            ThreadIntrospection.open(inst, readRunnables);
        } catch (RuntimeException e) {
            failures.add(e.getMessage());
        }

        // Load and exercise the weaver (and ASM) now: a first start() of a new Thread subclass
        // must load no class of the agent (it runs in whatever thread starts it).
        ThreadHookWeaver weaver = new ThreadHookWeaver();
        warmUp(weaver);
        LazyThreadWeaver lazy = new LazyThreadWeaver(inst, weaver);

        // Thread first, then (if asked) every loaded subclass the lazy path would weave; the others
        // (virtual threads, the agent's own) are only marked as seen. Each class is retransformed from
        // its original bytes, and the weaver leaves those without a run() of their own unchanged.
        List<Class<?>> seen = new ArrayList<>();
        List<Class<?>> targets = new ArrayList<>();
        targets.add(Thread.class);
        Class<?>[] loaded = weaveLoadedSubclasses ? inst.getAllLoadedClasses() : new Class<?>[0];
        for (Class<?> type : loaded) {
            if (type == Thread.class || !Thread.class.isAssignableFrom(type)) {
                continue;
            }
            seen.add(type);
            if (type != WarmUpThread.class && !LazyThreadWeaver.isVirtualThreadClass(type) && lazy.isCandidate(type, failures)) {
                targets.add(type);
            }
        }
        lazy.weave(targets, instrumented, failures);
        if (!instrumented.contains(Thread.class.getName())) {
            return; // without Thread's start(), the lazy path is never called
        }
        for (Class<?> type : seen) {
            lazy.markHandled(type);
        }
        ThreadStartHook.installWeaver(lazy);
        lazyWeaver = lazy;
    }

    private static void warmUp(ThreadHookWeaver weaver) {
        // A subclass from this loader covers what the lazy path weaves (run()). Thread's own methods
        // (run, setName, start) are woven next by retransformation, before the lazy path is installed;
        // weaving Thread here as well cost premain a second pass over its class file (and the class
        // file read from the JDK's image) for nothing.
        if (weaver.weave(internalName(WarmUpThread.class), readClassFile(WarmUpThread.class)) == null) {
            throw new IllegalStateException("the weaver found no run() in " + WarmUpThread.class.getName());
        }
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    /** The class file as its loader has it (a .class resource is never encapsulated by a module). */
    static byte[] readClassFile(Class<?> type) {
        try (InputStream in = type.getResourceAsStream("/" + internalName(type) + ".class")) {
            if (in == null) {
                throw new IllegalStateException("cannot read the class file of " + type.getName() + ": no such resource");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the class file of " + type.getName() + ": " + e, e);
        }
    }

    /**
     * A Thread subclass declaring run(), woven once at install (from its bytes, not retransformed)
     * so that every ASM class an engine's run() can need is loaded at install, not inside the
     * first start() of a Thread subclass: its run()
     * has a loop, a long local and a catch (frames of every kind), a lambda and a class literal
     * (method handle and type constants), and type annotations on a catch parameter and on a
     * type argument (type references and paths). Checked with a class-load log: starting a Thread
     * subclass like it after install loads no ASM class.
     */
    static final class WarmUpThread extends Thread {
        @Override
        public void run() {
            List<@WarmUpTypeUse Class<?>> seen = new ArrayList<>();
            Runnable addSelf = () -> seen.add(WarmUpThread.class);
            for (long i = 0; i < 2; i++) {
                try {
                    addSelf.run();
                } catch (@WarmUpTypeUse RuntimeException e) {
                    return;
                }
            }
        }
    }

    /** A type annotation kept in the class file, so that WarmUpThread's run() carries type annotations. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE_USE)
    @interface WarmUpTypeUse {
    }
}
