package io.numaagent.binding;

import io.numaagent.topology.CpuSet;

/**
 * The memory policy of the calling thread ({@code set_mempolicy}/{@code get_mempolicy}). The policy
 * decides where pages the thread touches first are placed: thread stacks, direct buffers and other
 * off-heap memory the thread allocates, and Java heap only as far as the collector lets the thread
 * place it (G1/Parallel/ZGC with {@code -XX:+UseNUMA} follow the thread's node on their own).
 */
public interface MemoryPolicies {

    /** False when libnuma is missing, JNA is unavailable, or the kernel refuses {@code get_mempolicy} (no NUMA support, seccomp). */
    boolean available();

    /**
     * Sets the calling thread's policy and returns it as read back from the kernel.
     * {@code nodes} is ignored for {@link MemoryMode#DEFAULT} and {@link MemoryMode#LOCAL}; PREFERRED
     * takes exactly one node; the other modes take one or more.
     *
     * @throws BindingException bad arguments, unavailable, or the kernel refused (EINVAL: a node is
     *         not allowed by the cpuset's mems or the mode is too new for this kernel; EPERM)
     */
    MemoryPolicyState applyToCurrentThread(MemoryMode mode, CpuSet nodes) throws BindingException;

    /** The calling thread's policy as the kernel has it. */
    MemoryPolicyState currentThread() throws BindingException;
}
