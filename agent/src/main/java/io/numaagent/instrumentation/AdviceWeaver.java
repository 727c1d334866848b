package io.numaagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one class file with the thread advice, using Byte Buddy directly rather than through
 * {@code AgentBuilder} (which alone costs ~730 ms at start, see the research note). The options
 * are those of {@code AgentBuilder.disableClassFormatChanges()}: a retransformed class may not gain
 * fields or methods, so no implementation context (no synthetic members), a frozen instrumented
 * type, and a method graph of declared methods only (no walk of the superclass chain).
 *
 * <p>This is the only class of the package that touches Byte Buddy; the transformer reaches it only
 * for {@code java.lang.Thread} and Thread subclasses declaring {@code run()}.
 */
final class AdviceWeaver {

    private static final String THREAD = "java.lang.Thread";

    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(InstrumentedType.Factory.Default.FROZEN)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    private final AsmVisitorWrapper runAdvice = Advice.to(ThreadRunAdvice.class)
            .on(named("run").and(takesArguments(0)).and(returns(void.class)));

    private final AsmVisitorWrapper setNameAdvice = Advice.to(ThreadSetNameAdvice.class)
            .on(named("setName").and(takesArguments(1)).and(takesArgument(0, String.class)));

    /**
     * The class file with advice on {@code run()} (and, for {@code java.lang.Thread}, on
     * {@code setName}). Throws whatever Byte Buddy throws; the caller records it.
     *
     * @param binaryName  e.g. {@code java.lang.Thread}
     * @param classFile   the bytes the JVM is about to define (or retransform)
     * @param loader      the defining loader, {@code null} for the boot loader; used to resolve
     *                    anything Byte Buddy needs beyond the class itself
     */
    byte[] weave(String binaryName, byte[] classFile, ClassLoader loader) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(binaryName, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = TypePool.Default.WithLazyResolution.of(locator).describe(binaryName).resolve();
        var builder = byteBuddy.redefine(type, locator).visit(runAdvice);
        if (THREAD.equals(binaryName)) {
            builder = builder.visit(setNameAdvice);
        }
        return builder.make().getBytes();
    }
}
