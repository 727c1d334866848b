package io.numaagent.instrumentation;

import static io.numaagent.instrumentation.RecordingListener.Kind.ENDED;
import static io.numaagent.instrumentation.RecordingListener.Kind.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.numaagent.bootstrap.AgentClassLoader;
import io.numaagent.bootstrap.ThreadStartHook;
import io.numaagent.instrumentation.LateThreads.FreshLoader;
import io.numaagent.instrumentation.RecordingListener.Event;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thread subclasses loaded after install, woven at the first start() of one of their threads
 * (every class here is new to the JVM: defined from bytes, or anew by a {@link FreshLoader}).
 */
class LazyThreadWeaverInstrumentationTest {

    private static final RecordingListener LISTENER = InstrumentedJvm.LISTENER;
    private static LazyThreadWeaver lazy;

    @BeforeAll
    static void install() {
        InstrumentedJvm.install();
        lazy = ThreadStartInstrumentation.lazyWeaver();
        assertTrue(lazy != null && ThreadStartHook.installedWeaver() == lazy, "the weaver is installed into the hook");
    }

    // ---- woven at the first start --------------------------------------------------------------

    @Test
    void subclassLoadedAfterInstallIsWovenAtItsFirstStartBeforeItsRunRuns() throws Exception {
        Class<?> type = new FreshLoader().load("OrderThread");
        assertFalse(lazy.handled(type));
        Thread first = newThread(type);
        assertEquals(0, lazy.timesWoven(type), "creating a thread weaves nothing");

        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(first));
        assertEquals(1, lazy.timesWoven(type));
        assertTrue(lazy.handled(type));
        long started = LISTENER.of(first, STARTED).get(0).sequence();
        long ended = LISTENER.of(first, ENDED).get(0).sequence();
        long firstLine = type.getField("firstLine").getLong(first);
        long lastLine = type.getField("lastLine").getLong(first);
        assertTrue(started < firstLine, "hook " + started + " must precede the first line " + firstLine);
        assertTrue(lastLine < ended, "the last line " + lastLine + " must precede exit " + ended);

        Thread second = newThread(type);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(second));
        assertEquals(1, lazy.timesWoven(type), "a class is woven once");
        assertEquals(List.of(STARTED, ENDED), kinds(second));
    }

    @Test
    void subSubclassWhoseRunCallsSuperRunEntersOnce() throws Exception {
        FreshLoader loader = new FreshLoader();
        Class<?> child = loader.load("SuperCallingChild");
        Class<?> parent = loader.load("SuperCalling");
        Thread thread = newThread(child);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread));
        assertTrue((boolean) child.getField("ranChildRun").get(thread));
        assertTrue((boolean) parent.getField("ranOwnRun").get(thread));
        assertEquals(List.of(STARTED, ENDED), kinds(thread));
        // One start wove the whole chain: a thread of the parent class starts without weaving.
        assertEquals(1, lazy.timesWoven(child));
        assertEquals(1, lazy.timesWoven(parent));
        assertTrue(lazy.handled(parent));
        Thread parentThread = (Thread) parent.getConstructor().newInstance();
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(parentThread));
        assertEquals(List.of(STARTED, ENDED), kinds(parentThread));
        assertEquals(1, lazy.timesWoven(parent));
    }

    @Test
    void subclassWithoutRunStartedFirstWeavesTheRunItInherits() throws Exception {
        FreshLoader loader = new FreshLoader();
        Class<?> inheriting = loader.load("Inheriting");
        Class<?> parent = loader.load("SuperCalling");
        Thread thread = newThread(inheriting);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread));
        assertEquals(List.of(STARTED, ENDED), kinds(thread));
        assertEquals(0, lazy.timesWoven(inheriting), "a class without run() is left as it is");
        assertEquals(1, lazy.timesWoven(parent));
        assertTrue(lazy.handled(inheriting));
    }

    @Test
    void threadSubclassesDefinedFromBytesOnlyFireOnce() throws Exception {
        // No class file resource exists for them: retransformation gets the bytes from the JVM.
        BytesLoader loader = new BytesLoader();
        Class<?> parent = loader.define("gen.DynamicThread", threadClass("gen/DynamicThread", "java/lang/Thread", true));
        Class<?> child = loader.define("gen.DynamicChild", threadClass("gen/DynamicChild", "gen/DynamicThread", true));
        for (Class<?> type : List.of(parent, child)) {
            Thread thread = newThread(type);
            assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread));
            assertEquals(List.of(STARTED, ENDED), kinds(thread), type.getName());
            assertEquals(1, lazy.timesWoven(type), type.getName());
        }
        assertEquals(List.of(), InstrumentedJvm.unexpectedFailuresSinceInstall());
    }

    @Test
    void subclassStartedConcurrentlyFromSeveralThreadsIsWovenOnce() throws Exception {
        Class<?> type = new FreshLoader().load("OrderThread");
        int starters = 8;
        List<Thread> started = new CopyOnWriteArrayList<>();
        CyclicBarrier together = new CyclicBarrier(starters);
        List<Thread> starterThreads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < starters; i++) {
            Thread starter = new Thread(() -> {
                try {
                    Thread thread = newThread(type);
                    started.add(thread);
                    together.await(10, TimeUnit.SECONDS);
                    thread.start();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "concurrent-starter-" + i);
            starter.start();
            starterThreads.add(starter);
        }
        for (Thread starter : starterThreads) {
            starter.join(10_000);
        }
        assertNull(failure.get());
        assertEquals(starters, started.size());
        for (Thread thread : started) {
            thread.join(10_000);
            assertFalse(thread.isAlive());
            assertEquals(List.of(STARTED, ENDED), kinds(thread));
        }
        assertEquals(1, lazy.timesWoven(type));
    }

    @Test
    void subclassStartedByAThreadContainerIsWovenToo() throws Exception {
        // JDK 21+: a thread-per-task executor starts its threads through Thread.start(ThreadContainer), not start().
        java.lang.reflect.Method perTask;
        try {
            perTask = java.util.concurrent.Executors.class.getMethod("newThreadPerTaskExecutor", java.util.concurrent.ThreadFactory.class);
        } catch (NoSuchMethodException beforeJdk21) {
            assumeTrue(false, "no thread containers on Java " + Runtime.version());
            return;
        }
        Class<?> type = new FreshLoader().load("SuperCalling");
        AtomicReference<Thread> created = new AtomicReference<>();
        java.util.concurrent.ThreadFactory factory = task -> {
            try {
                Thread thread = (Thread) type.getConstructor(Runnable.class).newInstance(task);
                created.set(thread);
                return thread;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        java.util.concurrent.ExecutorService executor = (java.util.concurrent.ExecutorService) perTask.invoke(null, factory);
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, lazy.timesWoven(type));
        assertEquals(1, LISTENER.await(created.get(), ENDED).size());
        assertEquals(List.of(STARTED, ENDED), kinds(created.get()));
    }

    @Test
    void startOfAClassAlreadySeenNeverWaitsForAWeaveInProgress() throws Exception {
        Class<?> seen = new FreshLoader().load("OrderThread");
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(newThread(seen)));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread weaveInProgress = new Thread(() -> {
            synchronized (lazy.lockForTests()) {
                held.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "holds-the-weaving-lock");
        weaveInProgress.start();
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            for (Thread thread : List.of(newThread(seen), new Thread(() -> { }), new InstrumentedJvm.EarlyThread(() -> { }))) {
                long begin = System.nanoTime();
                assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread));
                long millis = (System.nanoTime() - begin) / 1_000_000;
                assertTrue(millis < 5_000, thread + " took " + millis + " ms to start and end while a weave held the lock");
                assertEquals(List.of(STARTED, ENDED), kinds(thread));
            }
        } finally {
            release.countDown();
            weaveInProgress.join(10_000);
        }
    }

    // ---- no transformer stays --------------------------------------------------------------

    @Test
    void noTransformerStaysRegisteredAfterInstallOrAfterALazyWeave() throws Exception {
        assertEquals(0, LazyThreadWeaver.registeredTransformers(), "after install");
        Class<?> type = new FreshLoader().load("OrderThread");
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(newThread(type)));
        assertEquals(1, lazy.timesWoven(type));
        assertEquals(0, LazyThreadWeaver.registeredTransformers(), "after a lazy weave");

        // Observed, not only counted: a class loaded now reaches no transformer of ours.
        long loadsSeen = LazyThreadWeaver.loadsSeen();
        Class<?> loadedAfter = new BytesLoader().define("gen.LoadedAfterAWeave", threadClass("gen/LoadedAfterAWeave", "java/lang/Object", false));
        assertEquals("gen.LoadedAfterAWeave", loadedAfter.getName());
        assertEquals(loadsSeen, LazyThreadWeaver.loadsSeen());
    }

    // ---- what is not woven -------------------------------------------------------------------

    @Test
    void classThatCannotBeWovenIsReportedAndItsThreadStillStarts() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        ThreadStartInstrumentation.failuresSinceInstallTo(reported::add);
        String name = InstrumentedJvm.UNWEAVABLE_PREFIX + "TooLarge";
        Class<?> type = new BytesLoader().define(name, runTooLargeToWeave(name.replace('.', '/')));
        Thread thread = newThread(type);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread), "start() and run() go on as without the agent");
        assertEquals(true, type.getField("ran").get(null));
        assertEquals(List.of(), LISTENER.of(thread), "not woven, so not seen");
        assertEquals(0, lazy.timesWoven(type));
        assertTrue(lazy.handled(type), "a failure is not retried at every start");
        List<String> own = ThreadStartInstrumentation.failuresSinceInstall().stream().filter(f -> f.startsWith(name + ": ")).toList();
        assertEquals(1, own.size(), ThreadStartInstrumentation.failuresSinceInstall().toString());
        assertTrue(own.get(0).contains("MethodTooLarge"), own.get(0));
        assertTrue(reported.contains(own.get(0)), "handed to the sink (the agent's log): " + reported);

        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(newThread(type)));
        assertEquals(1, ThreadStartInstrumentation.failuresSinceInstall().stream().filter(f -> f.startsWith(name + ": ")).count());
    }

    @Test
    void hiddenThreadClassIsSkippedWithoutFailure() throws Throwable {
        byte[] bytes = threadClass("io/numaagent/instrumentation/HiddenThread", "java/lang/Thread", true);
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
        Thread thread = (Thread) hidden.lookupClass().getConstructor().newInstance();
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(thread));
        assertTrue(lazy.handled(hidden.lookupClass()));
        assertEquals(0, lazy.timesWoven(hidden.lookupClass()));
        assertEquals(List.of(), InstrumentedJvm.unexpectedFailuresSinceInstall());
    }

    @Test
    void virtualThreadClassesAreNeverWoven() throws Exception {
        Thread virtual;
        try {
            virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> { });
        } catch (NoSuchMethodException | UnsupportedOperationException beforeJdk21) {
            assumeTrue(false, "no virtual threads on Java " + Runtime.version());
            return;
        }
        virtual.join(10_000);
        for (Class<?> c = virtual.getClass(); c != Thread.class; c = c.getSuperclass()) {
            assertEquals(0, lazy.timesWoven(c), c.getName());
        }
        assertEquals(List.of(), LISTENER.of(virtual, STARTED));
        assertTrue(LazyThreadWeaver.isVirtualThreadClass(virtual.getClass()));
    }

    @Test
    void agentLoaderThreadClassIsNotWovenButAnEngineClassItStartsIs(@TempDir Path dir) throws Exception {
        Class<?> agentThread = agentLoaderClass(dir, LateThreads.PREFIX + "BodyThread");
        assertTrue(agentThread.getClassLoader() instanceof AgentClassLoader);
        Class<?> engineThread = new FreshLoader().load("OrderThread");
        AtomicReference<Thread> startedByAgent = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Runnable body = () -> {
            Thread engine = newThread(engineThread);
            startedByAgent.set(engine);
            engine.start();
            done.countDown();
        };
        Thread agent = (Thread) agentThread.getConstructor(Runnable.class).newInstance(body);
        agent.setName("numa-agent-startup");
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(agent));
        assertTrue(done.await(10, TimeUnit.SECONDS), "an agent thread starting an engine thread never blocks");
        assertEquals(List.of(), LISTENER.of(agent), "the agent's own thread class is not woven");
        assertEquals(0, lazy.timesWoven(agentThread));
        assertTrue(lazy.handled(agentThread));
        startedByAgent.get().join(10_000);
        assertEquals(List.of(STARTED, ENDED), kinds(startedByAgent.get()), "an engine class an agent thread starts is woven");
        assertEquals(1, lazy.timesWoven(engineThread));
    }

    // ---- the known trade-off -----------------------------------------------------------------

    /**
     * Documents the price of keeping no transformer registered: another agent's retransformation
     * rebuilds a woven class from its original bytes, and its threads are no longer seen.
     */
    @Test
    void anotherAgentRetransformingAWovenClassRemovesItsHookKnownTradeOff() throws Exception {
        Class<?> type = new FreshLoader().load("OrderThread");
        Thread before = newThread(type);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(before));
        assertEquals(List.of(STARTED, ENDED), kinds(before));

        Instrumentation inst = InstrumentedJvm.instrumentation();
        ClassFileTransformer otherAgent = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain protectionDomain, byte[] classfileBuffer) {
                return null;
            }
        };
        inst.addTransformer(otherAgent, true);
        try {
            inst.retransformClasses(type);
        } finally {
            inst.removeTransformer(otherAgent);
        }
        Thread after = newThread(type);
        assertNull(ThreadHookWeaverInstrumentationTest.runToEnd(after));
        assertEquals(List.of(), kinds(after), "the hook is gone from this class, and nothing puts it back");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Thread newThread(Class<?> type) {
        try {
            return (Thread) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RecordingListener.Kind> kinds(Thread thread) {
        return LISTENER.of(thread).stream().map(Event::kind).toList();
    }

    /**
     * A class {@code name extends superName} with a constructor and, if asked, {@code run() { }}:
     * no call to {@code super.run()}, so only hook calls woven into this very class can fire.
     */
    static byte[] threadClass(String name, String superName, boolean withRun) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, null);
        ThreadHookWeaverInstrumentationTest.constructor(writer, superName);
        if (withRun) {
            MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
            run.visitCode();
            run.visitInsn(Opcodes.RETURN);
            run.visitMaxs(0, 0);
            run.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * A Thread subclass whose run() is a valid method just under the JVM's 64 KiB code limit, so
     * that the woven one would exceed it (ASM throws MethodTooLargeException): nops, then
     * {@code ran = true}.
     */
    private static byte[] runTooLargeToWeave(String name) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Thread", null);
        writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "ran", "Z", null, null).visitEnd();
        ThreadHookWeaverInstrumentationTest.constructor(writer, "java/lang/Thread");
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        for (int i = 0; i < 65_520; i++) {
            run.visitInsn(Opcodes.NOP);
        }
        run.visitInsn(Opcodes.ICONST_1);
        run.visitFieldInsn(Opcodes.PUTSTATIC, name, "ran", "Z");
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** {@code binaryName} loaded by an {@link AgentClassLoader}, from a jar laid out as the agent's. */
    private static Class<?> agentLoaderClass(Path dir, String binaryName) throws IOException, ClassNotFoundException {
        File jar = dir.resolve("agent-layout.jar").toFile();
        try (OutputStream file = Files.newOutputStream(jar.toPath()); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("inst/" + binaryName.replace('.', '/') + ".classdata"));
            out.write(LateThreads.classFile(binaryName));
            out.closeEntry();
        }
        return new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader()).loadClass(binaryName);
    }
}
