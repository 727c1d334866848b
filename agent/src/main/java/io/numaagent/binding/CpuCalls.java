package io.numaagent.binding;

import io.numaagent.topology.CpuSet;

/**
 * The three native calls CPU pinning needs, for the calling thread. The seam where tests put a
 * kernel that answers EPERM or EINVAL; the real one is {@link JnaCpuCalls}. Errors are returned as
 * errno values, not thrown, so a fake needs no JNA.
 */
interface CpuCalls {

    /** Sets the calling thread's CPU mask: 0, or the errno. */
    int setAffinity(CpuSet cpus);

    /** Sets another thread's CPU mask by kernel thread id: 0, or the errno. */
    int setThreadAffinity(int tid, CpuSet cpus);

    /**
     * Reads the calling thread's CPU mask into {@code mask} (64 CPUs per long, CPU 0 in bit 0 of
     * word 0): 0, or the errno; EINVAL when {@code mask} is shorter than the kernel's CPU mask.
     */
    int getAffinity(long[] mask);

    /** The kernel thread id of the calling thread, or -1. */
    int currentTid();
}
