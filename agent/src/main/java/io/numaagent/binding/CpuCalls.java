package io.numaagent.binding;

/**
 * The native calls CPU pinning needs, with the kernel's mask convention: a {@code long[]} of 64 CPUs
 * per word, CPU 0 in bit 0 of word 0, its length in bytes being the {@code cpusetsize}. The seam where
 * tests put a kernel that answers EPERM or EINVAL; the real ones are {@link JniSyscalls} and {@link JnaCpuCalls}. Errors are
 * returned as errno values, not thrown, so a fake needs no JNA.
 */
interface CpuCalls {

    /** {@code sched_setaffinity(0, ...)}: sets the calling thread's CPU mask: 0, or the errno. */
    int setAffinity(long[] mask);

    /** {@code sched_setaffinity(tid, ...)}: sets another thread's CPU mask by kernel thread id: 0, or the errno. */
    int setThreadAffinity(int tid, long[] mask);

    /**
     * {@code sched_getaffinity(0, ...)}: reads the calling thread's CPU mask into {@code mask}, every
     * word of it written: 0, or the errno; EINVAL when {@code mask} is shorter than the kernel's CPU mask.
     */
    int getAffinity(long[] mask);

    /** The kernel thread id of the calling thread, or -1. */
    int currentTid();
}
