package io.numaagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites one class file with the thread advice: Byte Buddy's {@link Advice} as an ASM class
 * visitor between a {@code ClassReader} and a {@code ClassWriter}. Neither {@code AgentBuilder}
 * (~730 ms at start, see the research note) nor even {@code new ByteBuddy().redefine(..)} is used:
 * the latter's type writer, method registry and method graph loaded ~250 more classes and made
 * the install ~3× slower (measured here: 500 ms against 165 ms with the agent jar, JDK 17).
 *
 * <p>Only declared methods are rewritten and nothing is added: no field, no method, no type
 * initializer (the {@code Disabled} implementation context would throw if advice needed one), so
 * the result is valid for retransformation, which forbids shape changes. The class's own
 * stack-map frames are kept; the advice brings its own ({@code ClassWriter} never computes frames,
 * which would load classes through {@code getCommonSuperClass}).
 *
 * <p>This is the only class of the package that touches Byte Buddy; the transformer reaches it only
 * for {@code java.lang.Thread} and Thread subclasses declaring {@code run()}.
 */
final class AdviceWeaver {

    private static final String THREAD = "java.lang.Thread";

    private final AsmVisitorWrapper runAdvice = Advice.to(ThreadRunAdvice.class)
            .on(named("run").and(takesArguments(0)).and(returns(void.class)));

    private final AsmVisitorWrapper threadAdvice = new AsmVisitorWrapper.Compound(runAdvice,
            Advice.to(ThreadSetNameAdvice.class)
                    .on(named("setName").and(takesArguments(1)).and(takesArgument(0, String.class))));

    /**
     * The class file with advice on {@code run()} (and, for {@code java.lang.Thread}, on
     * {@code setName}). Throws whatever Byte Buddy or ASM throws; the caller records it.
     *
     * @param binaryName  e.g. {@code java.lang.Thread}
     * @param classFile   the bytes the JVM is about to define (or retransform)
     * @param loader      the defining loader, {@code null} for the boot loader; used only if Byte
     *                    Buddy needs to describe another type than the class itself
     */
    byte[] weave(String binaryName, byte[] classFile, ClassLoader loader) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(binaryName, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = pool.describe(binaryName).resolve();
        AsmVisitorWrapper advice = THREAD.equals(binaryName) ? threadAdvice : runAdvice;

        ClassReader reader = OpenedClassReader.of(classFile);
        int writerFlags = advice.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
        int readerFlags = advice.mergeReader(AsmVisitorWrapper.NO_FLAGS);
        ClassWriter writer = new ClassWriter(reader, writerFlags);
        ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(type,
                null /* no auxiliary types: unused by a disabled context */, TypeInitializer.None.INSTANCE, version, version,
                (readerFlags & ClassReader.EXPAND_FRAMES) != 0
                        ? Implementation.Context.FrameGeneration.EXPAND
                        : Implementation.Context.FrameGeneration.GENERATE);
        reader.accept(advice.wrap(type, writer, context, pool, type.getDeclaredFields(), type.getDeclaredMethods(),
                writerFlags, readerFlags), readerFlags);
        return writer.toByteArray();
    }
}
