package io.numaagent.instrumentation;

import static io.numaagent.instrumentation.RecordingListener.Kind.ENDED;
import static io.numaagent.instrumentation.RecordingListener.Kind.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transformer on its own, and on classes that exist only as bytes (no class file resource). */
class ThreadSubclassTransformerInstrumentationTest {

    @BeforeAll
    static void install() {
        InstrumentedJvm.install();
    }

    @Test
    void nonThreadClassIsReturnedUnchangedWithoutWeaving() throws IOException {
        // No weaver at all: reaching it would be a recorded NullPointerException.
        ThreadSubclassTransformer transformer = new ThreadSubclassTransformer(null);
        assertNull(transformer.transform(null, null, "java/util/ArrayList", null, null, classFile("java/util/ArrayList")));
        assertNull(transformer.transform(null, null, null, null, null, classFile("java/util/ArrayList")));
        assertEquals(List.of(), transformer.failures());
    }

    @Test
    void threadSubclassWithoutRunIsRememberedButNotWoven() {
        ThreadSubclassTransformer transformer = new ThreadSubclassTransformer(new ThreadHookWeaver());
        ClassLoader loader = getClass().getClassLoader();
        assertNull(transformer.transform(null, loader, "gen/NoRun", null, null, threadClass("gen/NoRun", "java/lang/Thread", false)));
        // its subclass is recognised through it, and woven because it declares run()
        assertNotNull(transformer.transform(null, loader, "gen/Child", null, null, threadClass("gen/Child", "gen/NoRun", true)));
        assertFalse(transformer.wove("gen/NoRun"));
        assertTrue(transformer.wove("gen/Child"));
        assertEquals(List.of(), transformer.failures());
    }

    @Test
    void virtualThreadClassesAreNeverWoven() {
        ThreadSubclassTransformer transformer = new ThreadSubclassTransformer(new ThreadHookWeaver());
        String base = ThreadSubclassTransformer.BASE_VIRTUAL_THREAD;
        assertNull(transformer.transform(null, null, base, null, null, threadClass(base, "java/lang/Thread", true)));
        assertNull(transformer.transform(null, null, "java/lang/VirtualThread", null, null,
                threadClass("java/lang/VirtualThread", base, true)));
        assertFalse(transformer.wove("java/lang/VirtualThread"));
        assertEquals(List.of(), transformer.failures());
    }

    @Test
    void weavingFailureIsRecordedAndTheClassLeftUnchanged() {
        byte[] broken = threadClass("gen/Broken", "java/lang/Thread", true);
        corruptRunCode(broken);
        ThreadSubclassTransformer transformer = new ThreadSubclassTransformer(new ThreadHookWeaver());
        assertNull(transformer.transform(null, null, "gen/Broken", null, null, broken));
        assertEquals(1, transformer.failures().size());
        assertTrue(transformer.failures().get(0).startsWith("gen.Broken: "), transformer.failures().get(0));
    }

    @Test
    void threadSubclassesDefinedFromBytesOnlyFireOnce() throws Exception {
        BytesLoader loader = new BytesLoader();
        Class<?> parent = loader.define("gen.DynamicThread", threadClass("gen/DynamicThread", "java/lang/Thread", true));
        Class<?> child = loader.define("gen.DynamicChild", threadClass("gen/DynamicChild", "gen/DynamicThread", true));
        for (Class<?> type : List.of(parent, child)) {
            Thread thread = (Thread) type.getConstructor().newInstance();
            thread.start();
            thread.join(10_000);
            assertEquals(1, InstrumentedJvm.LISTENER.of(thread, STARTED).size(), type.getName());
            assertEquals(1, InstrumentedJvm.LISTENER.of(thread, ENDED).size(), type.getName());
        }
        assertEquals(List.of(), ThreadStartInstrumentation.failuresSinceInstall());
    }

    /**
     * A class {@code name extends superName} with a constructor and, if asked, {@code run() { }}:
     * no call to {@code super.run()}, so only hook calls woven into this very class can fire.
     */
    private static byte[] threadClass(String name, String superName, boolean withRun) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, null);
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
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
     * Sets run()'s code_length far beyond its Code attribute: header and member tables stay
     * readable, so the sniffer accepts it, but the weaver cannot read the method it rewrites.
     * (An untouched method is copied verbatim by ASM, so only run() can make weaving fail.)
     */
    private static void corruptRunCode(byte[] classFile) {
        // run()'s body is a lone "return" (B1), preceded by code_length 00 00 00 01
        for (int i = 4; i < classFile.length; i++) {
            if ((classFile[i] & 0xFF) == 0xB1 && classFile[i - 1] == 1 && classFile[i - 2] == 0
                    && classFile[i - 3] == 0 && classFile[i - 4] == 0) {
                classFile[i - 2] = 0x7F;
                return;
            }
        }
        throw new IllegalStateException("no run() body found");
    }

    private static byte[] classFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines classes from bytes: no class file resource exists for them. */
    static final class BytesLoader extends ClassLoader {
        BytesLoader() {
            super(BytesLoader.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
