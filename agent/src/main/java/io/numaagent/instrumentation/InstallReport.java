package io.numaagent.instrumentation;

import java.util.List;

/**
 * What {@link ThreadStartInstrumentation#install} did.
 *
 * @param instrumented binary names of the loaded classes whose {@code run()} now carries the hook,
 *                     {@code java.lang.Thread} first when it succeeded (subclasses loaded later are
 *                     instrumented at the first start of one of their threads; see
 *                     {@link ThreadStartInstrumentation#failuresSinceInstall})
 * @param failures     one line per problem, each naming the class or step; empty when all went well
 * @param nanos        wall time of the installation
 */
public record InstallReport(List<String> instrumented, List<String> failures, long nanos) {

    public InstallReport {
        instrumented = List.copyOf(instrumented);
        failures = List.copyOf(failures);
    }

    /** Whether {@code java.lang.Thread} itself carries the hook: without it, no thread start is seen. */
    public boolean threadInstrumented() {
        return instrumented.contains(Thread.class.getName());
    }
}
