package io.numaagent.instrumentation;

import static io.numaagent.instrumentation.RecordingListener.Kind.ENDED;
import static io.numaagent.instrumentation.RecordingListener.Kind.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.instrumentation.RecordingListener.Event;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The woven bytecode itself: that the JVM's verifier accepts it (for {@code java.lang.Thread} in a
 * child JVM that verifies boot classes; subclasses are verified in any JVM), that every way out of
 * {@code run()} calls {@code exit} once and leaves the engine's own exceptions as they were, and
 * that a hook call that cannot even be resolved never reaches the engine.
 */
class ThreadHookWeaverInstrumentationTest {

    private static final RecordingListener LISTENER = InstrumentedJvm.LISTENER;

    @BeforeAll
    static void install() {
        InstrumentedJvm.install();
    }

    // ---- java.lang.Thread under a verifying boot loader ---------------------------------------

    @Test
    void wovenThreadPassesTheVerifierOfABootLoaderThatVerifies() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal",
                bootClassPathOfThisJvm(),
                "-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading",
                "-Xshare:off", // the CDS archive was dumped without boot-class verification
                "-cp", System.getProperty("java.class.path"),
                VerifyingBootLoaderJvm.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = child.getInputStream()) {
            in.transferTo(output);
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not end");
        String out = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("thread-instrumented: true"), out);
        assertTrue(out.contains("failures: []"), out);
        assertTrue(out.contains("events: STARTED,RENAMED,ENDED"), out);
        // Without it, the lines above would prove nothing: that JVM does verify Thread's retransformation.
        assertTrue(out.contains("control: VerifyError"), out);
    }

    // ---- every way out of run() ---------------------------------------------------------------

    @Test
    void everyWayOutOfRunCallsExitOnce() throws Exception {
        for (int path = 0; path < ReturnPathsThread.PATHS; path++) {
            RuntimeException engineFailure = new IllegalStateException("engine failure on path " + path);
            ReturnPathsThread thread = new ReturnPathsThread(path, engineFailure);
            Throwable uncaught = runToEnd(thread);
            assertTrue(thread.bodyRan, "path " + path);
            assertEquals(List.of(STARTED, ENDED), LISTENER.of(thread).stream().map(Event::kind).toList(), "path " + path);
            assertSame(path == ReturnPathsThread.THROW ? engineFailure : null, uncaught, "path " + path);
            assertSame(path == ReturnPathsThread.THROW_CAUGHT_THEN_RETURN ? engineFailure : null, thread.caughtByBody, "path " + path);
        }
    }

    @Test
    void exceptionFromRunPropagatesUnchanged() throws Exception {
        RuntimeException engineFailure = new IllegalStateException("engine failure");
        Thread subclass = new ReturnPathsThread(ReturnPathsThread.THROW, engineFailure);
        assertSame(engineFailure, runToEnd(subclass));

        Error engineError = new AssertionError("engine error");
        Thread withRunnable = new Thread(() -> {
            throw engineError;
        });
        assertSame(engineError, runToEnd(withRunnable));

        for (Throwable t : List.of(engineFailure, engineError)) {
            assertEquals(0, t.getSuppressed().length);
            assertNull(t.getCause());
        }
        assertEquals(List.of(STARTED, ENDED), LISTENER.of(withRunnable).stream().map(Event::kind).toList());
    }

    @Test
    void runThatOverwritesLocalZeroStillEndsWithItsOwnThread() throws Exception {
        // run() { this = null; if (true) {} return; }: exit must use the copy taken at entry
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        beginThreadClass(writer, Opcodes.V17, "gen/LocalZeroReused");
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        run.visitInsn(Opcodes.ACONST_NULL);
        run.visitVarInsn(Opcodes.ASTORE, 0);
        Label join = new Label();
        run.visitInsn(Opcodes.ICONST_1);
        run.visitJumpInsn(Opcodes.IFEQ, join);
        run.visitLabel(join);
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();

        Thread thread = newThread(new BytesLoader().define("gen.LocalZeroReused", writer.toByteArray()));
        assertNull(runToEnd(thread));
        assertEquals(List.of(STARTED, ENDED), LISTENER.of(thread).stream().map(Event::kind).toList());
    }

    @Test
    void classFileWithoutStackMapFramesIsWovenWithoutFrames() throws Exception {
        // Java 5 class files have no StackMapTable; the JVM infers types, and must still accept the result.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        beginThreadClass(writer, Opcodes.V1_5, "gen/Java5Thread");
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        Label end = new Label();
        run.visitVarInsn(Opcodes.ALOAD, 0);
        run.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Thread", "getName", "()Ljava/lang/String;", false);
        run.visitJumpInsn(Opcodes.IFNULL, end);
        run.visitInsn(Opcodes.RETURN);
        run.visitLabel(end);
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();

        Thread thread = newThread(new BytesLoader().define("gen.Java5Thread", writer.toByteArray()));
        assertNull(runToEnd(thread));
        assertEquals(List.of(STARTED, ENDED), LISTENER.of(thread).stream().map(Event::kind).toList());
        assertEquals(List.of(), InstrumentedJvm.unexpectedFailuresSinceInstall());
    }

    // ---- hook calls that fail before reaching the hook ----------------------------------------

    @Test
    void hookInvisibleToTheClassLoaderNeverReachesTheEngine() throws Exception {
        HookHidingLoader loader = new HookHidingLoader();
        Class<?> type = loader.define(ReturnPathsThread.class.getName(), ThreadStartInstrumentation.readClassFile(ReturnPathsThread.class));
        for (int path = 0; path < ReturnPathsThread.PATHS; path++) {
            RuntimeException engineFailure = new IllegalStateException("engine failure on path " + path);
            Thread thread = (Thread) type.getConstructor(int.class, RuntimeException.class).newInstance(path, engineFailure);
            Throwable uncaught = runToEnd(thread);
            assertEquals(true, type.getField("bodyRan").get(thread), "path " + path);
            // A catch (Throwable) of the engine's around a return must not see the hook's NoClassDefFoundError.
            assertSame(path == ReturnPathsThread.THROW_CAUGHT_THEN_RETURN ? engineFailure : null,
                    type.getField("caughtByBody").get(thread), "path " + path);
            assertSame(path == ReturnPathsThread.THROW ? engineFailure : null, uncaught, "path " + path);
            assertEquals(List.of(), LISTENER.of(thread));
        }
        assertTrue(loader.hookLookups.get() > 0, "the woven run() never tried to resolve the hook: was it woven?");
    }

    @Test
    void wovenClassThatIsNotAThreadRunsUnharmed() throws Exception {
        // The woven run() casts this to Thread, guarded: should a non-Thread class ever get woven
        // (the weaver itself does not check the superclass), the cast must fail silently.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/NotAThread", null, "java/lang/Object", new String[] {"java/lang/Runnable"});
        writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "runs", "I", null, null).visitEnd();
        constructor(writer, "java/lang/Object");
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        run.visitFieldInsn(Opcodes.GETSTATIC, "gen/NotAThread", "runs", "I");
        run.visitInsn(Opcodes.ICONST_1);
        run.visitInsn(Opcodes.IADD);
        run.visitFieldInsn(Opcodes.PUTSTATIC, "gen/NotAThread", "runs", "I");
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();
        byte[] woven = new ThreadHookWeaver().weave("gen/NotAThread", writer.toByteArray());
        assertNotNull(woven);

        Class<?> type = new BytesLoader().define("gen.NotAThread", woven);
        ((Runnable) type.getConstructor().newInstance()).run();
        ((Runnable) type.getConstructor().newInstance()).run();
        assertEquals(2, type.getField("runs").get(null));
    }

    // ---- what the weaver touches --------------------------------------------------------------

    @Test
    void classWithoutConcreteRunIsNotWoven() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "gen/AbstractRun", null, "java/lang/Thread", null);
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "run", "()V", null, null).visitEnd();
        writer.visitEnd();
        assertNull(new ThreadHookWeaver().weave("gen/AbstractRun", writer.toByteArray()));
    }

    @Test
    void usesByteBuddysAsmNotTheJdksInternalCopy() throws IOException, URISyntaxException {
        Path classes = Path.of(ThreadHookWeaver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path packageDir = classes.resolve(ThreadHookWeaver.class.getPackageName().replace('.', File.separatorChar));
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(packageDir)) {
            classFiles = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(classFiles.stream().anyMatch(p -> p.getFileName().toString().startsWith("ThreadHookWeaver")), classFiles.toString());
        for (Path classFile : classFiles) {
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            assertFalse(constants.contains("jdk/internal/org/objectweb/asm"), classFile + " uses the JDK's internal ASM");
            if (classFile.getFileName().toString().equals("ThreadHookWeaver.class")) {
                assertTrue(constants.contains("net/bytebuddy/jar/asm/ClassReader"), classFile.toString());
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Starts and joins {@code thread}; returns what reached its uncaught-exception handler (shared with the lazy-weave tests). */
    static Throwable runToEnd(Thread thread) throws InterruptedException {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        thread.start();
        thread.join(10_000);
        assertFalse(thread.isAlive(), thread + " did not end");
        return uncaught.get();
    }

    /** The surefire argLine's -Xbootclasspath/a (the hook's classes), which no system property exposes. */
    private static String bootClassPathOfThisJvm() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Xbootclasspath/a:"))
                .findFirst().orElseThrow(() -> new IllegalStateException("this JVM has no -Xbootclasspath/a"));
    }

    private static Thread newThread(Class<?> type) throws ReflectiveOperationException {
        return (Thread) type.getConstructor().newInstance();
    }

    private static void beginThreadClass(ClassWriter writer, int version, String name) {
        writer.visit(version, Opcodes.ACC_PUBLIC, name, null, "java/lang/Thread", null);
        constructor(writer, "java/lang/Thread");
    }

    /** A public no-argument constructor calling {@code superName}'s (shared with the lazy-weave tests). */
    static void constructor(ClassWriter writer, String superName) {
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /**
     * Does not delegate {@code io.numaagent.bootstrap}, like an OSGi framework that delegates only
     * {@code java.*} to the boot loader: the woven calls to ThreadStartHook fail to resolve.
     */
    static final class HookHidingLoader extends ClassLoader {
        final AtomicInteger hookLookups = new AtomicInteger();

        HookHidingLoader() {
            super(HookHidingLoader.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.numaagent.bootstrap.")) {
                hookLookups.incrementAndGet();
                throw new ClassNotFoundException(name + " is not visible from this loader");
            }
            return super.loadClass(name, resolve);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
