package io.numaagent.bench.emptyagent;

import java.lang.instrument.Instrumentation;

/**
 * The floor any {@code java.lang.instrument} agent pays: the JVM opens the jar, reads its manifest, loads
 * this class and the instrument module's classes, and calls an empty premain. Packaged alone into
 * {@code benchmarks-empty-agent.jar}.
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        // empty on purpose
    }
}
