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
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every platform thread call {@link ThreadStartHook#enter} inside itself, before any code
 * of its own runs, by calls woven into {@code run()} of {@code java.lang.Thread} and of each subclass that
 * declares one (the only hook point that saw every case in the research: factories, subclasses,
 * ForkJoinPool workers, {@code Timer}, JDK 21+ thread containers).
 *
 * <p>Not caught, by design: threads already running at install (the main thread among them; the
 * caller handles main itself), and virtual threads, which never execute {@code Thread.run()}.
 * On JDK 21+ carrier threads of virtual threads are ForkJoinPool workers and are seen like any.
 */
public final class ThreadStartInstrumentation {

    private static final Object LOCK = new Object();
    private static volatile ThreadSubclassTransformer transformer;

    private ThreadStartInstrumentation() {
    }

    /**
     * Instruments {@code java.lang.Thread} and its loaded subclasses, registers the transformer
     * that instruments subclasses loaded later, and finally arms {@link ThreadStartHook} with
     * {@code listener}. Never throws; every problem is a line in the report. A second call only
     * replaces the listener.
     */
    public static InstallReport install(Instrumentation inst, ThreadStartListener listener) {
        long start = System.nanoTime();
        List<String> instrumented = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            synchronized (LOCK) {
                if (transformer != null) {
                    failures.add("thread-start instrumentation was already installed; only the listener was replaced");
                } else {
                    instrument(inst, instrumented, failures);
                }
                if (!instrumented.isEmpty() || transformer != null) {
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
     * Classes that could not be instrumented after {@link #install} (the JDK would swallow these
     * errors), oldest first, at most 256; empty before install.
     */
    public static List<String> failuresSinceInstall() {
        ThreadSubclassTransformer current = transformer;
        return current == null ? List.of() : current.failures();
    }

    private static void instrument(Instrumentation inst, List<String> instrumented, List<String> failures) {
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
            ThreadIntrospection.open(inst);
        } catch (RuntimeException e) {
            failures.add(e.getMessage());
        }

        // Load and exercise the weaver (and ASM) before the transformer is registered: classes it
        // loaded for the first time inside transform() could hit ClassCircularityError.
        ThreadHookWeaver weaver = new ThreadHookWeaver();
        warmUp(weaver);
        ThreadSubclassTransformer registered = new ThreadSubclassTransformer(weaver);
        inst.addTransformer(registered, true);
        transformer = registered;

        // Scanned after registration: a class loaded in between is then either seen by the
        // transformer or found here (retransforming starts from the original bytes, so a class
        // met twice still gets one copy of the hook calls).
        List<Class<?>> targets = new ArrayList<>();
        targets.add(Thread.class);
        for (Class<?> type : inst.getAllLoadedClasses()) {
            if (type == Thread.class || type == WarmUpThread.class || !Thread.class.isAssignableFrom(type) || type.isHidden()
                    || isVirtualThreadClass(type)) {
                continue;
            }
            registered.knownThreadClass(type.getName().replace('.', '/'));
            if (inst.isModifiableClass(type) && declaresRunMethod(type, failures)) {
                targets.add(type);
            }
        }
        retransform(inst, registered, targets, instrumented, failures);
    }

    /** VirtualThread and BoundVirtualThread: see {@link ThreadSubclassTransformer#BASE_VIRTUAL_THREAD}. */
    private static boolean isVirtualThreadClass(Class<?> type) {
        String baseVirtualThread = ThreadSubclassTransformer.BASE_VIRTUAL_THREAD.replace('/', '.');
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(baseVirtualThread)) {
                return true;
            }
        }
        return false;
    }

    private static void warmUp(ThreadHookWeaver weaver) {
        // The real Thread (run + setName) and a subclass from this loader cover every path.
        for (Class<?> type : List.of(Thread.class, WarmUpThread.class)) {
            if (weaver.weave(internalName(type), readClassFile(type)) == null) {
                throw new IllegalStateException("the weaver found no run() in " + type.getName());
            }
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

    private static boolean declaresRunMethod(Class<?> type, List<String> failures) {
        try {
            Method run = type.getDeclaredMethod("run");
            return run.getReturnType() == void.class && !Modifier.isAbstract(run.getModifiers());
        } catch (NoSuchMethodException inheritsRun) {
            return false;
        } catch (Throwable t) {
            // e.g. NoClassDefFoundError for a type in another method's signature
            failures.add(type.getName() + ": cannot list its methods, its run() (if any) is not instrumented: " + t);
            return false;
        }
    }

    private static void retransform(Instrumentation inst, ThreadSubclassTransformer registered, List<Class<?>> targets,
                                     List<String> instrumented, List<String> failures) {
        try {
            inst.retransformClasses(targets.toArray(new Class<?>[0]));
            collect(registered, targets, instrumented, failures);
            return;
        } catch (Throwable batchFailed) {
            // A failed batch redefines nothing; go one by one to find the culprit.
        }
        List<Class<?>> done = new ArrayList<>();
        for (Class<?> type : targets) {
            try {
                inst.retransformClasses(type);
                done.add(type);
            } catch (Throwable t) {
                failures.add(type.getName() + ": retransformation failed: " + t);
            }
        }
        collect(registered, done, instrumented, failures);
    }

    private static void collect(ThreadSubclassTransformer registered, List<Class<?>> retransformed,
                                List<String> instrumented, List<String> failures) {
        for (Class<?> type : retransformed) {
            List<String> own = registered.failuresOf(type.getName());
            if (!own.isEmpty()) {
                failures.addAll(own);
            } else if (registered.wove(type.getName().replace('.', '/'))) {
                instrumented.add(type.getName());
            } else {
                failures.add(type.getName() + ": the transformer left it unchanged");
            }
        }
    }

    /**
     * A Thread subclass declaring run(), woven once at install so that every ASM class an engine's
     * run() can need is loaded before the transformer exists, not inside transform(): its run()
     * has a loop, a long local and a catch (frames of every kind), a lambda and a class literal
     * (method handle and type constants), and type annotations on a catch parameter and on a
     * type argument (type references and paths). Checked with a class-load log: loading a Thread
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
