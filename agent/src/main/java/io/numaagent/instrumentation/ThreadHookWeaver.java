package io.numaagent.instrumentation;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.jar.asm.TypePath;

/**
 * Weaves the calls to {@code io.numaagent.bootstrap.ThreadStartHook} into one class file, written
 * directly against the ASM that Byte Buddy bundles ({@code net.bytebuddy.jar.asm}; the JDK's own
 * copy, {@code jdk.internal.org.objectweb.asm}, is not exported and changes without notice):
 * <ul>
 * <li>{@code run()V} (of {@code java.lang.Thread} and of every subclass declaring one):
 * {@code ThreadStartHook.enter(this)} at entry, and {@code ThreadStartHook.exit(this)} before every
 * {@code return} and, through a catch-all handler around the whole body, before the body's
 * exception propagates unchanged;</li>
 * <li>{@code Thread.setName(String)}: {@code ThreadStartHook.renamed(this)} before every
 * {@code return};</li>
 * <li>{@code Thread.start()} (and, JDK 21+, {@code start(ThreadContainer)}, which thread containers
 * call directly): {@code ThreadStartHook.starting(this)} at entry, in the thread that starts it.</li>
 * </ul>
 *
 * <p>Why not Byte Buddy's {@code Advice}: for these three calls it loaded 513 Byte Buddy classes
 * (type descriptions, matchers, dispatchers), none from CDS and each verified, because they come
 * from the agent class loader; this weaver loads 32, all of them ASM. Measured on the packaged
 * agent ({@code -Xlog:class+load}, a trivial main starting one thread that a rule matches), median
 * of 5 interleaved runs, 2 vCPUs shared with other work (load average 1.5-2; the class counts are
 * exact, the times move by tens of ms with the load). "premain" is AgentEntry's load to the main
 * class's load; the "after" rows also have {@code -XDstringConcat=inline} (see agent/pom.xml).
 * <pre>
 *                                 net.bytebuddy classes   InstallReport.nanos()   premain   process CPU
 *   JDK 17  Advice (before)                513                   333 ms            732 ms     830 ms
 *   JDK 17  this weaver                     32                    47 ms            361 ms     430 ms
 *   JDK 25  Advice (before)                512                   308 ms            787 ms     870 ms
 *   JDK 25  this weaver                     32                    75 ms            496 ms     570 ms
 * </pre>
 *
 * <p><b>Never throw into the engine's thread.</b> {@code ThreadStartHook} catches every
 * {@code Throwable} of the listener itself, but a call to it can still fail before reaching it:
 * {@code NoClassDefFoundError} when the class's loader does not delegate {@code io.numaagent.bootstrap}
 * to the boot loader (OSGi frameworks delegate only {@code java.*} by default), or
 * {@code ClassCastException} should a class that is not a Thread ever be woven (the weaver does not
 * check the superclass). So each hook call sits in its own exception-table entry whose handler
 * drops the exception and carries on as the method would have: the body still runs, a
 * {@code return} still returns, the body's own exception is still rethrown. Those entries come
 * first in the exception table, ahead of the method's own, so that a {@code catch} of the engine's
 * that happens to cover a {@code return} never sees a hook failure; the catch-all around the body
 * comes last, so the engine's handlers see their exceptions first, as before.
 *
 * <p><b>Frames.</b> Nothing here computes frames: {@code COMPUTE_FRAMES} would call
 * {@code getCommonSuperClass}, which loads classes inside {@code transform()} (circularity errors,
 * engine classes loaded too early by the wrong loader). The method's own frames are read expanded
 * and kept; each gets one more local: {@code this} as a {@code java/lang/Thread}, copied at entry to
 * a new slot after the method's own locals, so the exit calls see it even if the body reuses local 0.
 * The few frames the woven code needs (its handlers and the first instruction of the body) name
 * only that slot and, for the entry handler, the method's initial {@code this}. For the same
 * reason the exit call is repeated before each {@code return} instead of jumping to one shared
 * exit: a jump target needs a frame, and the locals and stack at an arbitrary {@code return}
 * (which may leave values on the stack) are unknown without a data-flow analysis. Maximum stack and
 * locals are derived from the original ones, so {@code ClassWriter} computes nothing either, and
 * methods other than the woven ones are copied byte for byte.
 *
 * <p>Class files before version 50 (Java 6) have no frames and get none.
 */
final class ThreadHookWeaver {

    static final String HOOK = "io/numaagent/bootstrap/ThreadStartHook";
    private static final String THREAD = "java/lang/Thread";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String HOOK_DESCRIPTOR = "(Ljava/lang/Thread;)V";
    private static final int API = Opcodes.ASM9;
    /** {@code TypeReference.EXCEPTION_PARAMETER}'s try-catch index: bits 8-23 of a type reference. */
    private static final int TRY_CATCH_INDEX_MASK = 0x00FFFF00;

    /**
     * The class file with the hook calls woven in, or {@code null} when it declares no method to
     * weave (no concrete instance {@code run()V}, and for {@code java/lang/Thread} no
     * {@code setName} and no {@code start}). Throws whatever ASM throws on malformed input; the caller records it.
     *
     * @param internalName e.g. {@code java/lang/Thread}
     * @param classFile    the bytes the JVM is about to define (or retransform)
     */
    byte[] weave(String internalName, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        boolean isThread = THREAD.equals(internalName);
        MethodShapes shapes = new MethodShapes(isThread);
        // First pass, over the two methods only: where the new slot goes and how many returns
        // get a guard entry, both needed before the method's first instruction is written.
        reader.accept(shapes, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (shapes.run == null && shapes.setName == null && !shapes.start) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        // EXPAND_FRAMES only affects visited methods; the others are copied as they are.
        reader.accept(new HookClassVisitor(writer, internalName, shapes), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static boolean isWovenRun(int access, String name, String descriptor) {
        return "run".equals(name) && "()V".equals(descriptor) && hasInstanceCode(access);
    }

    private static boolean isWovenSetName(boolean isThread, int access, String name, String descriptor) {
        return isThread && "setName".equals(name) && "(Ljava/lang/String;)V".equals(descriptor) && hasInstanceCode(access);
    }

    /** {@code start()V}, and {@code start(ThreadContainer)V} of JDK 21+: every instance {@code start} of Thread. */
    private static boolean isWovenStart(boolean isThread, int access, String name, String descriptor) {
        return isThread && "start".equals(name) && descriptor.endsWith(")V") && hasInstanceCode(access);
    }

    private static boolean hasInstanceCode(int access) {
        return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /** What the first pass learns about one method. */
    private static final class Shape {
        int maxStack;
        int maxLocals;
        int returns;
    }

    /** The first pass: maxima and return count of {@code run()V} and {@code setName}. */
    private static final class MethodShapes extends ClassVisitor {
        final boolean isThread;
        int version;
        Shape run;
        Shape setName;
        boolean start;

        MethodShapes(boolean isThread) {
            super(API);
            this.isThread = isThread;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.version = version & 0xFFFF;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            Shape shape;
            if (isWovenRun(access, name, descriptor)) {
                shape = run = new Shape();
            } else if (isWovenSetName(isThread, access, name, descriptor)) {
                shape = setName = new Shape();
            } else if (isWovenStart(isThread, access, name, descriptor)) {
                start = true;
                return null; // only its descriptor is needed
            } else {
                return null; // its code is skipped, not parsed
            }
            return new MethodVisitor(API) {
                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.RETURN) {
                        shape.returns++;
                    }
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    shape.maxStack = maxStack;
                    shape.maxLocals = maxLocals;
                }
            };
        }
    }

    /** The second pass: hands {@code run()V} and {@code setName} to their weavers, copies the rest. */
    private static final class HookClassVisitor extends ClassVisitor {
        private final String internalName;
        private final MethodShapes shapes;

        HookClassVisitor(ClassWriter writer, String internalName, MethodShapes shapes) {
            super(API, writer);
            this.internalName = internalName;
            this.shapes = shapes;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean frames = shapes.version >= Opcodes.V1_6;
            if (isWovenRun(access, name, descriptor)) {
                return new RunWeaver(target, internalName, shapes.run, frames);
            }
            if (isWovenSetName(shapes.isThread, access, name, descriptor)) {
                return new ReturnHookWeaver(target, shapes.setName, frames, 0, 0, "renamed");
            }
            if (isWovenStart(shapes.isThread, access, name, descriptor)) {
                return new EntryHookWeaver(target, initialLocals(internalName, descriptor), frames, "starting");
            }
            return target; // a MethodWriter: ClassReader copies the method without parsing it
        }
    }

    /**
     * Calls {@code ThreadStartHook.<hook>((Thread) local[threadSlot])} before every {@code return},
     * each call guarded by its own exception-table entry, all placed ahead of the method's own
     * entries (whose type-annotation indices are shifted to match); one shared handler drops a hook
     * failure and returns.
     */
    private static class ReturnHookWeaver extends MethodVisitor {
        final Shape shape;
        final boolean frames;
        final int threadSlot;
        /** Locals the woven code adds after the method's own. */
        final int addedLocals;
        private final String hook;
        private final Label[] guardStarts;
        private final Label[] guardEnds;
        private final Label returnGuard = new Label();
        private int returnsSeen;
        /** Entries written ahead of the method's own. */
        int prepended;

        ReturnHookWeaver(MethodVisitor target, Shape shape, boolean frames, int threadSlot, int addedLocals, String hook) {
            super(API, target);
            this.shape = shape;
            this.frames = frames;
            this.threadSlot = threadSlot;
            this.addedLocals = addedLocals;
            this.hook = hook;
            guardStarts = new Label[shape.returns];
            guardEnds = new Label[shape.returns];
            for (int i = 0; i < shape.returns; i++) {
                guardStarts[i] = new Label();
                guardEnds[i] = new Label();
            }
        }

        @Override
        public void visitCode() {
            super.visitCode();
            // ClassReader visits the method's own exception table right after visitCode.
            for (int i = 0; i < shape.returns; i++) {
                super.visitTryCatchBlock(guardStarts[i], guardEnds[i], returnGuard, THROWABLE);
                prepended++;
            }
        }

        @Override
        public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            int index = ((typeRef & TRY_CATCH_INDEX_MASK) >>> 8) + prepended;
            return super.visitTryCatchAnnotation((typeRef & ~TRY_CATCH_INDEX_MASK) | (index << 8), typePath, descriptor, visible);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                if (returnsSeen == shape.returns) {
                    throw new IllegalStateException("more returns than counted in the first pass");
                }
                super.visitLabel(guardStarts[returnsSeen]);
                callHook(hook);
                super.visitLabel(guardEnds[returnsSeen]);
                returnsSeen++;
            }
            super.visitInsn(opcode);
        }

        void callHook(String name) {
            super.visitVarInsn(Opcodes.ALOAD, threadSlot);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, name, HOOK_DESCRIPTOR, false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (returnsSeen != shape.returns) {
                throw new IllegalStateException("fewer returns than counted in the first pass");
            }
            if (shape.returns > 0) {
                super.visitLabel(returnGuard);
                frame(new Object[0], THROWABLE);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.RETURN);
            }
            // +1: the hook's argument, pushed on top of whatever a return leaves on the stack
            super.visitMaxs(Math.max(shape.maxStack + 1, 2), shape.maxLocals + addedLocals);
        }

        /** An expanded frame with one stack entry or none; nothing before class file version 50. */
        void frame(Object[] locals, String stackTop) {
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, stackTop == null ? 0 : 1,
                        stackTop == null ? new Object[0] : new Object[] {stackTop});
            }
        }
    }

    /** The frame types of a method's parameters, {@code this} first (instance methods only). */
    private static Object[] initialLocals(String owner, String descriptor) {
        Type[] parameters = Type.getArgumentTypes(descriptor);
        Object[] locals = new Object[parameters.length + 1];
        locals[0] = owner;
        for (int i = 0; i < parameters.length; i++) {
            switch (parameters[i].getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> locals[i + 1] = Opcodes.INTEGER;
                case Type.FLOAT -> locals[i + 1] = Opcodes.FLOAT;
                case Type.LONG -> locals[i + 1] = Opcodes.LONG;
                case Type.DOUBLE -> locals[i + 1] = Opcodes.DOUBLE;
                default -> locals[i + 1] = parameters[i].getInternalName();
            }
        }
        return locals;
    }

    /**
     * {@code ThreadStartHook.<hook>(this)} at entry, before the method's own code:
     * <pre>
     *   call:  aload_0; invokestatic hook            [guard → failed, first in the exception table]
     *   body:  nop                                   // own frame: the method's may start here too
     *          ...the method, unchanged
     *   failed: pop; goto body
     * </pre>
     * No local is added; the method's own frames and exception entries are kept (type-annotation
     * indices shifted past the guard).
     */
    private static final class EntryHookWeaver extends MethodVisitor {
        private final Object[] initialLocals;
        private final boolean frames;
        private final String hook;
        private final Label callStart = new Label();
        private final Label callEnd = new Label();
        private final Label failed = new Label();
        private final Label body = new Label();

        EntryHookWeaver(MethodVisitor target, Object[] initialLocals, boolean frames, String hook) {
            super(API, target);
            this.initialLocals = initialLocals;
            this.frames = frames;
            this.hook = hook;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitTryCatchBlock(callStart, callEnd, failed, THROWABLE);
            super.visitLabel(callStart);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, hook, HOOK_DESCRIPTOR, false);
            super.visitLabel(callEnd);
            super.visitLabel(body);
            frame(null);
            super.visitInsn(Opcodes.NOP);
        }

        @Override
        public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            int index = ((typeRef & TRY_CATCH_INDEX_MASK) >>> 8) + 1;
            return super.visitTryCatchAnnotation((typeRef & ~TRY_CATCH_INDEX_MASK) | (index << 8), typePath, descriptor, visible);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(failed);
            frame(THROWABLE);
            super.visitInsn(Opcodes.POP);
            super.visitJumpInsn(Opcodes.GOTO, body);
            super.visitMaxs(Math.max(maxStack, 1), maxLocals);
        }

        private void frame(String stackTop) {
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, initialLocals.length, initialLocals, stackTop == null ? 0 : 1,
                        stackTop == null ? new Object[0] : new Object[] {stackTop});
            }
        }
    }

    /**
     * {@code run()V}:
     * <pre>
     *     aconst_null; astore T                       // T = the first slot after the method's own
     *   enter:  aload_0; checkcast Thread; dup; astore T; invokestatic enter   [guard → enterFailed]
     *   body:   nop                                   // own frame: the method's may start here too
     *           ...the method, each return preceded by
     *           aload T; invokestatic exit            [guard → returnGuard: pop; return]
     *   bodyEnd:
     *   finally: astore T+1                           [catch-all over body..bodyEnd]
     *           aload T; invokestatic exit            [guard → exitFailed: pop; aload T+1; athrow]
     *           aload T+1; athrow
     *   enterFailed: pop; goto body
     * </pre>
     * If the cast fails, {@code T} stays null and {@code exit(null)} returns at once.
     */
    private static final class RunWeaver extends ReturnHookWeaver {
        private final String owner;
        private final Label enterStart = new Label();
        private final Label enterEnd = new Label();
        private final Label enterFailed = new Label();
        private final Label body = new Label();

        RunWeaver(MethodVisitor target, String owner, Shape shape, boolean frames) {
            // the copy of this, and the body's exception while exit() runs
            super(target, shape, frames, shape.maxLocals, 2, "exit");
            this.owner = owner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitTryCatchBlock(enterStart, enterEnd, enterFailed, THROWABLE);
            prepended++;

            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitVarInsn(Opcodes.ASTORE, threadSlot);
            super.visitLabel(enterStart);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitTypeInsn(Opcodes.CHECKCAST, THREAD);
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ASTORE, threadSlot);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "enter", HOOK_DESCRIPTOR, false);
            super.visitLabel(enterEnd);
            super.visitLabel(body);
            frame(initialLocalsWithThread(), null);
            // The method's first frame may sit on its first instruction; two frames cannot share an offset.
            super.visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (type != Opcodes.F_NEW) {
                throw new IllegalStateException("run() frames were not expanded (frame type " + type + ")");
            }
            Object[] locals = withThreadSlot(numLocal, local);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, numStack, stack);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label bodyEnd = new Label();
            Label onThrow = new Label();
            Label exitStart = new Label();
            Label exitEnd = new Label();
            Label exitFailed = new Label();
            int thrownSlot = threadSlot + 1;

            super.visitLabel(bodyEnd);
            super.visitLabel(onThrow);
            frame(threadOnly(), THROWABLE);
            super.visitVarInsn(Opcodes.ASTORE, thrownSlot);
            super.visitLabel(exitStart);
            callHook("exit");
            super.visitLabel(exitEnd);
            super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
            super.visitInsn(Opcodes.ATHROW);

            super.visitLabel(exitFailed);
            Object[] threadAndThrown = new Object[threadSlot + 2];
            System.arraycopy(threadOnly(), 0, threadAndThrown, 0, threadSlot + 1);
            threadAndThrown[thrownSlot] = THROWABLE;
            frame(threadAndThrown, THROWABLE);
            super.visitInsn(Opcodes.POP);
            super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
            super.visitInsn(Opcodes.ATHROW);

            super.visitLabel(enterFailed);
            frame(initialLocalsWithThread(), THROWABLE);
            super.visitInsn(Opcodes.POP);
            super.visitJumpInsn(Opcodes.GOTO, body);

            // Last in the table: the method's own handlers keep seeing their exceptions first.
            super.visitTryCatchBlock(body, bodyEnd, onThrow, null);
            super.visitTryCatchBlock(exitStart, exitEnd, exitFailed, THROWABLE);
            super.visitMaxs(maxStack, maxLocals); // the shared return guard, then the maxima
        }

        /** {@code [owner, TOP..., Thread]}: the locals at entry ({@code run()} has no parameters) plus the copy of {@code this}. */
        private Object[] initialLocalsWithThread() {
            Object[] locals = threadOnly();
            locals[0] = owner;
            return locals;
        }

        /** {@code [TOP..., Thread]}: only the copy of {@code this} is known in handlers over the body. */
        private Object[] threadOnly() {
            Object[] locals = new Object[threadSlot + 1];
            for (int i = 0; i < threadSlot; i++) {
                locals[i] = Opcodes.TOP;
            }
            locals[threadSlot] = THREAD;
            return locals;
        }

        /** The frame's locals, padded with TOP up to the new slot, which holds the Thread. */
        private Object[] withThreadSlot(int numLocal, Object[] local) {
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            if (slots > threadSlot) {
                throw new IllegalStateException("a frame of run() has " + slots + " locals, max_locals is " + threadSlot);
            }
            Object[] locals = new Object[numLocal + threadSlot - slots + 1];
            System.arraycopy(local, 0, locals, 0, numLocal);
            for (int i = numLocal; i < locals.length - 1; i++) {
                locals[i] = Opcodes.TOP;
            }
            locals[locals.length - 1] = THREAD;
            return locals;
        }
    }
}
