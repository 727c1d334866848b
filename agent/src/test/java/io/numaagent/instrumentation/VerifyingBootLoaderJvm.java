package io.numaagent.instrumentation;

import io.numaagent.instrumentation.RecordingListener.Event;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.stream.Collectors;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Main class of a child JVM started with {@code -XX:+BytecodeVerificationLocal}: the JVM verifies
 * boot-loader classes, {@code java.lang.Thread}'s retransformation included, which it otherwise
 * never does (retransforming Thread in the shared test JVM proves nothing about its bytecode).
 * Prints one {@code key: value} line per fact; {@link ThreadHookWeaverInstrumentationTest} reads them.
 */
public final class VerifyingBootLoaderJvm {

    private VerifyingBootLoaderJvm() {
    }

    public static void main(String[] args) throws Exception {
        Instrumentation inst = ByteBuddyAgent.install();
        RecordingListener listener = new RecordingListener();
        InstallReport report = ThreadStartInstrumentation.install(inst, listener);
        System.out.println("thread-instrumented: " + report.threadInstrumented());
        System.out.println("failures: " + report.failures());

        Thread thread = new Thread(() -> Thread.currentThread().setName("renamed-inside"), "verified");
        thread.start();
        thread.join();
        System.out.println("events: " + listener.of(thread).stream().map(Event::kind).map(Enum::name)
                .collect(Collectors.joining(",")));

        // The control: the same retransformation, plus a method that cannot pass verification.
        ClassFileTransformer breaker = new SetNameBreaker();
        inst.addTransformer(breaker, true);
        try {
            inst.retransformClasses(Thread.class);
            System.out.println("control: accepted");
        } catch (VerifyError expected) {
            System.out.println("control: VerifyError");
        } finally {
            inst.removeTransformer(breaker);
        }
        System.out.flush();
        // A JVM whose Thread was broken by an accepted control must not run on.
        Runtime.getRuntime().halt(0);
    }

    /** Stores an int into {@code setName}'s String parameter: a verifier rejects that. */
    private static final class SetNameBreaker implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (!"java/lang/Thread".equals(className)) {
                return null;
            }
            ClassReader reader = new ClassReader(classfileBuffer);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
                    if (!name.equals("setName")) {
                        return target;
                    }
                    return new MethodVisitor(Opcodes.ASM9, target) {
                        @Override
                        public void visitCode() {
                            super.visitCode();
                            super.visitInsn(Opcodes.ICONST_0);
                            super.visitVarInsn(Opcodes.ASTORE, 1);
                        }
                    };
                }
            }, 0);
            return writer.toByteArray();
        }
    }
}
