package io.numaagent.binding;

import io.numaagent.topology.CpuSet;

/** The CPU mask of the calling thread. Every method acts on the thread that calls it. */
public interface CpuAffinity {

    /** False when JNA's native part or OpenHFT's Linux implementation could not load; see {@link Binding#warnings()}. */
    boolean available();

    /**
     * Sets the calling thread's CPU mask, then reads it back from the kernel and returns what the
     * kernel applied: a mask only partly inside the allowed CPUs (cgroup cpuset, taskset) is
     * trimmed silently by the kernel, so the result can be smaller than {@code cpus}.
     *
     * @throws BindingException empty set, pinning unavailable, or the kernel refused
     *         (EINVAL: no CPU of the set is online and allowed; EPERM)
     */
    CpuSet bindCurrentThread(CpuSet cpus) throws BindingException;

    /**
     * Sets another thread's CPU mask: how {@code process.cpus = union} moves the JVM's own threads.
     * No read-back: only the thread itself can read its mask cheaply.
     */
    void bindThread(int tid, CpuSet cpus) throws BindingException;

    /** The calling thread's CPU mask as the kernel has it ({@code sched_getaffinity(0, ...)}). */
    CpuSet currentThread() throws BindingException;

    /** The kernel thread id (what {@code ps -L}, {@code /proc/PID/task} and {@code taskset -p} show), or -1 if unavailable. */
    int currentTid();
}
