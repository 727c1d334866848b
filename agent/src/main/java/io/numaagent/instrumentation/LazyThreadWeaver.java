package io.numaagent.instrumentation;

import io.numaagent.bootstrap.AgentClassLoader;
import io.numaagent.bootstrap.ThreadClassWeaver;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Weaves the hook into Thread classes by retransformation, with no {@link ClassFileTransformer}
 * left registered: one is added for each {@code retransformClasses} call, transforms only the
 * classes that call names, and is removed in a {@code finally}. A registered transformer, even a
 * no-op one, makes every class the JVM loads pass through it (measured: 1.28 × the time per loaded
 * class for a non-retransformable one, 1.49 × for a retransformable one); with none, class loading
 * costs what it costs without the agent.
 *
 * <p>At install, {@code java.lang.Thread} (and, when attached to a running JVM, the Thread subclasses
 * already loaded) are woven in one call ({@link #weave}). Any other subclass is woven at the first
 * {@code start()} of one of its threads: {@code Thread.start()} calls {@link #beforeStart} (through
 * {@code ThreadStartHook.starting}) on the starting thread, before the new thread exists, so its
 * {@code run()} carries the hook before it runs. Per class, that is one lookup in a
 * {@link ClassValue} once seen, and one retransformation the first time.
 *
 * <p><b>Cost.</b> A thread of a class already seen: a {@link ClassValue} lookup in {@code start()}
 * (none for {@code java.lang.Thread} itself). The first start of a new Thread subclass: one
 * retransformation, whose time is mostly the JVM's (a safepoint, and walks over the loaded classes
 * and compiled code), so it grows with the JVM: measured with the packaged agent on 2 vCPUs at load
 * average ~5, about 1 ms with ~760 classes loaded, and 4 ms (JDK 17) to 6 ms (JDK 25) per new class
 * with ~3 000 loaded (first {@code start()} of 100 generated subclasses, against 0.3-0.5 ms for a
 * later one; {@code -Dnuma-agent.report-at-exit=true} prints the count and mean).
 *
 * <p>Which class of the chain declares the {@code run()} a thread executes is not asked of
 * reflection ({@code getDeclaredMethods} resolves the types of every method's signature, i.e. loads
 * engine classes inside {@code start()}, and fails on a missing optional dependency): every class
 * between the thread's class and {@code Thread} not seen before is retransformed in the same call,
 * and the weaver leaves those without a concrete {@code run()} unchanged.
 *
 * <p>Not woven: virtual-thread classes ({@code BaseVirtualThread} and below: JDK 21+ override
 * {@code start()}, and {@code run()} of a virtual thread must not fire), hidden classes (they cannot
 * be retransformed), and classes of the agent's own class loader (its threads are its own; an engine
 * class they start is woven like any).
 *
 * <p><b>Trade-off.</b> With no retransform-capable transformer of ours registered, another agent that
 * later retransforms (or redefines) {@code java.lang.Thread} or a woven subclass makes the JVM rebuild
 * it from the original class file: the hook calls are gone for that class, and nothing here notices
 * (no cheap test tells whether a loaded method still carries a call, and the start() hook itself is
 * what would be gone). Keeping a transformer registered to survive that would cost every class load
 * of every JVM; the rare JVM with a second retransforming agent loses placement for those classes.
 *
 * <p><b>Locking.</b> Weaving runs under one lock of this object; the hook takes none. Everything the
 * lazy path runs was loaded and run once at install (the same {@link #weave} method, the transformer
 * class, the weaver and ASM on {@code WarmUpThread}), so a first start loads no class of the agent
 * loader and waits for no agent thread: an agent thread starting a thread, or a thread started while
 * the agent's start-up is still running, cannot deadlock with it. {@code retransformClasses} itself
 * only waits for a safepoint.
 */
final class LazyThreadWeaver implements ThreadClassWeaver {

    /** JDK 19+: the superclass of {@code VirtualThread} and {@code ThreadBuilders$BoundVirtualThread}. */
    static final String BASE_VIRTUAL_THREAD = "java.lang.BaseVirtualThread";
    private static final int MAX_RECORDED_FAILURES = 256;

    /** Class loads (not retransformations) that reached a transformer of ours: 0 while none is registered. */
    private static final AtomicLong LOADS_SEEN = new AtomicLong();
    /** Transformers of ours registered right now. */
    private static final AtomicInteger REGISTERED = new AtomicInteger();

    private final Instrumentation inst;
    private final ThreadHookWeaver weaver;
    private final Object lock = new Object();
    private final States states = new States();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failureCount = new AtomicInteger();
    /** Guarded by {@link #lock}. */
    private Consumer<String> failureSink;
    /** Guarded by {@link #lock}: the thread inside {@link #handle}, to let a start() from inside it through. */
    private volatile Thread weavingThread;
    /** Guarded by {@link #lock}. */
    private long lazyWeaves;
    /** Guarded by {@link #lock}. */
    private long lazyWeaveNanos;

    LazyThreadWeaver(Instrumentation inst, ThreadHookWeaver weaver) {
        this.inst = inst;
        this.weaver = weaver;
    }

    /** Whether the hook is in place (or could not be put) for threads of this class; per class, set once. */
    private static final class State {
        volatile boolean handled;
        /** Retransformations that wove this class (test accessor). */
        volatile int woven;
    }

    private static final class States extends ClassValue<State> {
        @Override
        protected State computeValue(Class<?> type) {
            return new State();
        }
    }

    @Override
    public void beforeStart(Thread thread) {
        Class<?> type = thread.getClass();
        if (type == Thread.class || states.get(type).handled) {
            return;
        }
        handle(type);
    }

    private void handle(Class<?> type) {
        if (weavingThread == Thread.currentThread()) {
            return; // a start() from inside a weave (none is known): never retransform re-entrantly
        }
        List<String> failed = new ArrayList<>();
        Consumer<String> sink;
        synchronized (lock) {
            if (states.get(type).handled) {
                return;
            }
            weavingThread = Thread.currentThread();
            try {
                long start = System.nanoTime();
                List<Class<?>> chain = new ArrayList<>();
                for (Class<?> c = type; c != null && c != Thread.class && !states.get(c).handled; c = c.getSuperclass()) {
                    chain.add(c);
                }
                if (!isVirtualThreadClass(type)) {
                    List<Class<?>> targets = new ArrayList<>();
                    for (Class<?> c : chain) {
                        if (isCandidate(c, failed)) {
                            targets.add(c);
                        }
                    }
                    if (!targets.isEmpty()) {
                        weave(targets, new ArrayList<>(), failed);
                        lazyWeaves++;
                        lazyWeaveNanos += System.nanoTime() - start;
                    }
                }
                for (Class<?> c : chain) {
                    markHandled(c);
                }
                for (String failure : failed) {
                    record(failure);
                }
                sink = failureSink;
            } finally {
                weavingThread = null;
            }
        }
        if (sink != null) {
            for (String failure : failed) {
                sink.accept(failure);
            }
        }
    }

    /**
     * Whether {@code type} (a class between a thread's class and Thread) should be retransformed:
     * not a hidden class or an agent class (both skipped silently), and modifiable (else a failure).
     */
    boolean isCandidate(Class<?> type, List<String> failed) {
        if (type.isHidden() || type.getClassLoader() instanceof AgentClassLoader) {
            return false;
        }
        if (!inst.isModifiableClass(type)) {
            failed.add(type.getName() + ": the JVM does not allow retransforming it, its run() (if any) is not instrumented");
            return false;
        }
        return true;
    }

    /** VirtualThread and BoundVirtualThread (JDK 19+). */
    static boolean isVirtualThreadClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(BASE_VIRTUAL_THREAD)) {
                return true;
            }
        }
        return false;
    }

    void markHandled(Class<?> type) {
        states.get(type).handled = true;
    }

    /** Whether {@link #beforeStart} returns at once for this class. */
    boolean handled(Class<?> type) {
        return states.get(type).handled;
    }

    /** How many retransformations wove the hook into this class (tests). */
    int timesWoven(Class<?> type) {
        return states.get(type).woven;
    }

    /**
     * Retransforms {@code targets} in one call (one by one if the call fails, to find the culprit)
     * under a transformer registered for that call only; adds to {@code woven} the classes that
     * now carry the hook, in order, and to {@code failed} one line per class that could not be
     * woven. Classes without a concrete {@code run()} (nor, for Thread, setName/start) are left
     * unchanged and are in neither list. Never throws.
     */
    void weave(List<Class<?>> targets, List<String> woven, List<String> failed) {
        synchronized (lock) {
            Class<?>[] classes = targets.toArray(new Class<?>[0]);
            OneCallTransformer transformer = new OneCallTransformer(weaver, classes);
            String[] retransformFailures = new String[classes.length];
            try {
                inst.addTransformer(transformer, true);
                REGISTERED.incrementAndGet();
                try {
                    try {
                        inst.retransformClasses(classes);
                    } catch (Throwable batchFailed) {
                        // A failed batch redefines nothing; go one by one to find the culprit.
                        transformer.reset();
                        for (int i = 0; i < classes.length; i++) {
                            try {
                                inst.retransformClasses(classes[i]);
                            } catch (Throwable t) {
                                retransformFailures[i] = classes[i].getName() + ": retransformation failed: " + t;
                            }
                        }
                    }
                } finally {
                    inst.removeTransformer(transformer);
                    REGISTERED.decrementAndGet();
                }
            } catch (Throwable t) {
                failed.add("retransforming " + classes.length + " Thread class(es) failed: " + t);
                return;
            }
            for (int i = 0; i < classes.length; i++) {
                if (retransformFailures[i] != null) {
                    failed.add(retransformFailures[i]);
                } else if (transformer.failures[i] != null) {
                    failed.add(transformer.failures[i]);
                } else if (transformer.woven[i]) {
                    woven.add(classes[i].getName());
                    states.get(classes[i]).woven++;
                }
            }
        }
    }

    /** Hands every failure so far, then each later one, to {@code sink} (outside the lock, on the starting thread). */
    void failuresTo(Consumer<String> sink) {
        List<String> earlier;
        synchronized (lock) {
            failureSink = sink;
            earlier = new ArrayList<>(failures);
        }
        for (String failure : earlier) {
            sink.accept(failure);
        }
    }

    private void record(String failure) {
        if (failureCount.incrementAndGet() <= MAX_RECORDED_FAILURES) {
            failures.add(failure);
        }
    }

    /** Failures since install, oldest first (at most {@value #MAX_RECORDED_FAILURES}). */
    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** {@code [weaves, nanos]}: first starts that retransformed something, and their total time. */
    long[] lazyWeaveStats() {
        synchronized (lock) {
            return new long[] {lazyWeaves, lazyWeaveNanos};
        }
    }

    /** The weaving lock (tests: held, it shows who waits for a weave). */
    Object lockForTests() {
        return lock;
    }

    /** Transformers of ours registered now (0 outside a {@link #weave} call). */
    static int registeredTransformers() {
        return REGISTERED.get();
    }

    /** Class loads that ever reached a transformer of ours (only ones concurrent with a weave can). */
    static long loadsSeen() {
        return LOADS_SEEN.get();
    }

    /**
     * Weaves exactly the classes it was made for, when they are retransformed; returns {@code null}
     * for every other class (classes other threads load or retransform while it is registered).
     * The JDK swallows exceptions thrown from {@code transform}, so none is thrown: each failure is
     * kept for the caller and the class left as it was.
     */
    private static final class OneCallTransformer implements ClassFileTransformer {
        private final ThreadHookWeaver weaver;
        private final Class<?>[] classes;
        final boolean[] woven;
        final String[] failures;

        OneCallTransformer(ThreadHookWeaver weaver, Class<?>[] classes) {
            this.weaver = weaver;
            this.classes = classes;
            this.woven = new boolean[classes.length];
            this.failures = new String[classes.length];
        }

        void reset() {
            for (int i = 0; i < classes.length; i++) {
                woven[i] = false;
                failures[i] = null;
            }
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (classBeingRedefined == null) {
                LOADS_SEEN.incrementAndGet();
                return null;
            }
            int index = -1;
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] == classBeingRedefined) {
                    index = i;
                    break;
                }
            }
            if (index < 0 || classfileBuffer == null) {
                return null;
            }
            try {
                byte[] result = weaver.weave(classBeingRedefined.getName().replace('.', '/'), classfileBuffer);
                woven[index] = result != null;
                return result;
            } catch (Throwable t) {
                failures[index] = classBeingRedefined.getName() + ": " + t;
                return null;
            }
        }
    }
}
