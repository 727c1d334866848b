package io.numaagent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SuperclassSnifferTest {

    /** Real class files covering every constant-pool tag javac emits (long/double, indy, method handles, ...). */
    static Stream<Class<?>> realClasses() {
        return Stream.of(Thread.class, ForkJoinWorkerThread.class, java.util.Timer.class, Math.class, Character.class,
                String.class, ConcurrentHashMap.class, TimeUnit.class, Runnable.class, Map.Entry.class,
                java.lang.invoke.MethodHandles.class, List.class, Arrays.class, Record.class,
                SuperclassSnifferTest.class, ThreadStartInstrumentationTest.SuperCallingThread.class,
                ThreadStartInstrumentationTest.InheritingGrandchild.class, SuperclassSniffer.class);
    }

    @ParameterizedTest
    @MethodSource("realClasses")
    void superclassOfRealClassFileMatchesReflection(Class<?> type) throws IOException {
        // Interfaces name java/lang/Object as super_class in the class file, reflection says null.
        Class<?> expected = type.isInterface() ? Object.class : type.getSuperclass();
        assertEquals(expected.getName().replace('.', '/'), SuperclassSniffer.superclassInternalName(classFile(type)));
    }

    @Test
    void objectHasNoSuperclass() throws IOException {
        assertNull(SuperclassSniffer.superclassInternalName(classFile(Object.class)));
    }

    @Test
    void packagePrivateJdkThreadSubclassesNameThread() throws IOException {
        assertEquals("java/lang/Thread", SuperclassSniffer.superclassInternalName(classFile("java/util/TimerThread")));
    }

    @Test
    void nonAsciiSuperclassNameIsDecodedFromModifiedUtf8() {
        String superclass = "caf\u00e9/\u00dcberThread\u4e2d\u6587";
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "example/Sub", null, superclass, null);
        writer.visitEnd();
        assertEquals(superclass, SuperclassSniffer.superclassInternalName(writer.toByteArray()));
    }

    @Test
    void malformedClassFilesYieldNull() throws IOException {
        byte[] thread = classFile(Thread.class);
        assertNull(SuperclassSniffer.superclassInternalName(null));
        assertNull(SuperclassSniffer.superclassInternalName(new byte[0]));
        assertNull(SuperclassSniffer.superclassInternalName(Arrays.copyOf(thread, thread.length / 4)));
        byte[] badMagic = thread.clone();
        badMagic[0] = 0;
        assertNull(SuperclassSniffer.superclassInternalName(badMagic));
        assertFalse(SuperclassSniffer.declaresRunMethod(Arrays.copyOf(thread, thread.length / 2)));
    }

    @Test
    void declaresRunMethodOnlyForAConcreteRunWithoutArguments() throws IOException {
        assertTrue(SuperclassSniffer.declaresRunMethod(classFile(Thread.class)));
        assertTrue(SuperclassSniffer.declaresRunMethod(classFile(ForkJoinWorkerThread.class)));
        assertTrue(SuperclassSniffer.declaresRunMethod(classFile("java/util/TimerThread")));
        assertTrue(SuperclassSniffer.declaresRunMethod(classFile(ThreadStartInstrumentationTest.SuperCallingThread.class)));
        assertFalse(SuperclassSniffer.declaresRunMethod(classFile(ThreadStartInstrumentationTest.InheritingGrandchild.class)));
        assertFalse(SuperclassSniffer.declaresRunMethod(classFile(AbstractRunThread.class)));
        assertFalse(SuperclassSniffer.declaresRunMethod(classFile(Runnable.class)));
        assertFalse(SuperclassSniffer.declaresRunMethod(classFile(RunWithArgument.class)));
        assertFalse(SuperclassSniffer.declaresRunMethod(classFile(java.util.ArrayList.class)));
    }

    abstract static class AbstractRunThread extends Thread {
        @Override
        public abstract void run();
    }

    static final class RunWithArgument extends Thread {
        @SuppressWarnings("unused")
        public void run(int times) {
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        return classFile(type.getName().replace('.', '/'));
    }

    private static byte[] classFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            if (in == null) {
                throw new IOException("no class file for " + internalName);
            }
            return in.readAllBytes();
        }
    }
}
