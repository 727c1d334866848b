package io.numaagent.config;

import java.util.Locale;

/**
 * Which of the device's CPUs a matching thread may run on ({@code rule.NAME.cpus}). The device's
 * CPUs are its node's CPUs the process may use (or the listed ones for {@code cpus:LIST}); no choice
 * ever places a thread outside them.
 */
public enum CpuChoice {
    /** All of the device's CPUs (the default). */
    NODE,
    /**
     * One whole core, exclusive among the agent's threads (and, via lock files, processes): no two
     * threads on SMT siblings unless no whole core is free, when the thread shares the device's CPUs.
     */
    CORE,
    /** One hardware thread (logical CPU), exclusive likewise; one CPU of every core before a sibling. */
    CPU,
    /**
     * The device's fastest CPU class (see the topology's CPU kinds), shared by the rule's threads;
     * once the class has as many threads as cores, further threads spill to the next class, then
     * to all of the device's CPUs.
     */
    FAST,
    /**
     * One L3 cache domain (core complex) per thread, those with more of the device's CPUs first;
     * wraps around when there are more threads than L3 domains (PyTorch's core-complex binding).
     */
    L3,
    /** For a device whose CPUs span several nodes: the rule's threads go round-robin over those nodes. */
    SPREAD,
    /** For a device whose CPUs span several nodes: the first node takes one thread per CPU, then the next. */
    PACK;

    /** Whether each thread leases CPUs of its own ({@code core}, {@code cpu}), through the lock directory. */
    public boolean exclusive() {
        return this == CORE || this == CPU;
    }

    /** The word written in the configuration file, e.g. {@code core}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
