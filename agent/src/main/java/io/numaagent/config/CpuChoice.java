package io.numaagent.config;

import java.util.Locale;

/** Which CPUs of the device's node a matching thread may run on ({@code rule.NAME.cpus}). */
public enum CpuChoice {
    /** All CPUs of the device's NUMA node that the process may use (the default). */
    NODE,
    /** One whole core of that node, exclusive among the agent's threads (and, via lock files, processes). */
    CORE,
    /** One hardware thread (logical CPU) of that node, exclusive likewise. */
    CPU;

    /** The word written in the configuration file, e.g. {@code core}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
