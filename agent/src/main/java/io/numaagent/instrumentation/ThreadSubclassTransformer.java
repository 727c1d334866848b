package io.numaagent.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "a-raw" transformer of the research note: for every class the JVM defines (or retransforms)
 * it reads the superclass name from the constant pool and returns {@code null} at once unless the
 * class is {@code java.lang.Thread} or extends a known Thread class. Only those reach the
 * {@link ThreadHookWeaver}.
 *
 * <p>Known Thread classes are tracked by internal name. That is sound because a superclass is
 * always loaded (and so seen here) before its subclasses; classes loaded before the transformer was
 * registered are added by {@link ThreadStartInstrumentation#install}. Names are not qualified by
 * class loader: a non-Thread class that shares a Thread subclass's name merely costs one attempt
 * whose woven cast to Thread fails at run time, which the woven code ignores.
 *
 * <p>The JDK swallows exceptions thrown from {@code transform}, so none is thrown: each failure is
 * recorded (bounded) and the class is left as it was.
 */
final class ThreadSubclassTransformer implements ClassFileTransformer {

    static final String THREAD = "java/lang/Thread";
    /**
     * JDK 19+: the superclass of {@code VirtualThread} and {@code ThreadBuilders$BoundVirtualThread}.
     * Never treated as a Thread class, so virtual threads stay uninstrumented even on platforms
     * where a "bound" virtual thread runs {@code run()} on its own OS thread.
     */
    static final String BASE_VIRTUAL_THREAD = "java/lang/BaseVirtualThread";
    private static final int MAX_RECORDED_FAILURES = 256;

    private final ThreadHookWeaver weaver;
    private final Set<String> threadClasses = ConcurrentHashMap.newKeySet();
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failureCount = new AtomicInteger();

    ThreadSubclassTransformer(ThreadHookWeaver weaver) {
        this.weaver = weaver;
        threadClasses.add(THREAD);
    }

    /** Records a class loaded before registration as a Thread class, so its subclasses are recognised. */
    void knownThreadClass(String internalName) {
        if (!internalName.equals(BASE_VIRTUAL_THREAD)) {
            threadClasses.add(internalName);
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // Hidden classes (lambdas, proxies) are not passed here with a name; arrays are never defined.
        if (className == null || classfileBuffer == null) {
            return null;
        }
        try {
            if (!className.equals(THREAD)) {
                String superclass = SuperclassSniffer.superclassInternalName(classfileBuffer);
                if (superclass == null || !threadClasses.contains(superclass)) {
                    return null; // ~99.9 % of classes end here
                }
                if (className.equals(BASE_VIRTUAL_THREAD)) {
                    return null;
                }
                threadClasses.add(className);
                if (!SuperclassSniffer.declaresRunMethod(classfileBuffer)) {
                    return null; // inherits an already instrumented run()
                }
            }
            byte[] result = weaver.weave(className, classfileBuffer);
            if (result != null) {
                woven.add(className);
            }
            return result;
        } catch (Throwable t) {
            recordFailure(className, t);
            return null;
        }
    }

    private void recordFailure(String className, Throwable t) {
        if (failureCount.incrementAndGet() <= MAX_RECORDED_FAILURES) {
            failures.add(className.replace('/', '.') + ": " + t);
        }
    }

    /** Whether the hook calls were woven into a class of this name at least once. */
    boolean wove(String internalName) {
        return woven.contains(internalName);
    }

    /** Failures so far, oldest first (at most {@value #MAX_RECORDED_FAILURES}). */
    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** The recorded failures for one class, by binary name. */
    List<String> failuresOf(String binaryName) {
        List<String> own = new ArrayList<>();
        for (String failure : failures) {
            if (failure.startsWith(binaryName + ": ")) {
                own.add(failure);
            }
        }
        return own;
    }
}
