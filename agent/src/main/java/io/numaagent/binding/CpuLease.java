package io.numaagent.binding;

import io.numaagent.topology.CpuSet;

/** CPUs held exclusively until {@link #release()}. */
public interface CpuLease {

    CpuSet cpus();

    /** Returns the CPUs. Callable from any thread, any number of times; never throws. */
    void release();
}
