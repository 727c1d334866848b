package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.Arrays;

/**
 * {@link MemoryPolicies} over {@link NumaCalls}: argument checks, node masks, errno to a one-line
 * message, read-back with {@code get_mempolicy}.
 */
final class KernelMemoryPolicies implements MemoryPolicies {

    /**
     * Node ids 0-1023: the kernel's MAX_NUMNODES is at most 1024 (NODES_SHIFT 10). The kernel reads
     * one bit less than {@code maxnode} (an old off-by-one kept for compatibility, which libnuma also
     * works around), hence 1025; get_mempolicy wants maxnode &gt;= nr_node_ids and writes
     * ALIGN(maxnode - 1, 64) / 8 = 128 bytes.
     */
    static final int MAX_NODES = 1024;
    static final long MAXNODE_ARG = MAX_NODES + 1;
    private static final int MASK_LONGS = MAX_NODES / 64;

    /** MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING: flags or-ed into the mode. */
    private static final int MODE_FLAGS = (1 << 15) | (1 << 14) | (1 << 13);
    private static final int EINVAL = 22;
    private static final int EPERM = 1;

    private final NumaCalls calls;

    KernelMemoryPolicies(NumaCalls calls) {
        this.calls = calls;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public MemoryPolicyState applyToCurrentThread(MemoryMode mode, CpuSet nodes) throws BindingException {
        if (mode == null) {
            throw new BindingException("memory policy mode is missing: expected one of default, preferred, bind, interleave, local");
        }
        CpuSet n = nodes == null ? CpuSet.EMPTY : nodes;
        long[] mask = null;
        long maxnode = 0;
        if (mode.takesNodes()) {
            if (n.isEmpty()) {
                throw new BindingException("memory policy " + mode.text() + " needs at least one NUMA node, got none");
            }
            if (mode == MemoryMode.PREFERRED && n.size() > 1) {
                throw new BindingException("memory policy preferred takes one NUMA node, got " + n.toList()
                        + ": use bind or interleave for several nodes");
            }
            if (n.last() >= MAX_NODES) {
                throw new BindingException("NUMA node " + n.last() + " is beyond " + (MAX_NODES - 1) + ", the largest node id a Linux kernel has");
            }
            mask = new long[MASK_LONGS];
            n.copyWords(mask);
            maxnode = MAXNODE_ARG;
        }
        int errno = calls.setMempolicy(mode.kernelValue(), mask, maxnode);
        if (errno != 0) {
            String what = "set_mempolicy(" + new MemoryPolicyState(mode, mode.takesNodes() ? n : CpuSet.EMPTY).describe() + ")";
            throw BindingException.ofErrno(what, errno, hint(mode, errno));
        }
        // The one read-back, into the same mask; what was asked is reused when the kernel reports exactly it.
        if (mask == null) {
            mask = new long[MASK_LONGS];
        } else {
            Arrays.fill(mask, 0L);
        }
        int rawMode = read(mask);
        if (MemoryMode.ofKernelValue(rawMode & ~MODE_FLAGS) == mode && (!mode.takesNodes() || n.sameWords(mask))) {
            return new MemoryPolicyState(mode, mode.takesNodes() ? n : CpuSet.EMPTY);
        }
        return decode(rawMode, mask);
    }

    private static String hint(MemoryMode mode, int errno) {
        if (errno == EINVAL) {
            return "a node is not online or not in this process's allowed memory nodes (cpuset.mems, /proc/self/status Mems_allowed_list)"
                    + (mode.kernelValue() > MemoryMode.LOCAL.kernelValue() ? ", or this kernel predates " + mode.text() : "");
        }
        if (errno == EPERM) {
            return "blocked by the container's seccomp profile or missing CAP_SYS_NICE (docker: --cap-add SYS_NICE)";
        }
        return "";
    }

    @Override
    public MemoryPolicyState currentThread() throws BindingException {
        long[] mask = new long[MASK_LONGS];
        return decode(read(mask), mask);
    }

    /** {@code get_mempolicy} of the calling thread: its nodes into {@code mask}, its raw mode returned. */
    private int read(long[] mask) throws BindingException {
        int[] mode = new int[1];
        int errno = calls.getMempolicy(mode, mask, MAXNODE_ARG);
        if (errno != 0) {
            throw BindingException.ofErrno("get_mempolicy of the current thread", errno, hint(MemoryMode.DEFAULT, errno));
        }
        return mode[0];
    }

    static MemoryPolicyState decode(int rawMode, long[] mask) throws BindingException {
        MemoryMode mode = MemoryMode.ofKernelValue(rawMode & ~MODE_FLAGS);
        if (mode == null) {
            throw new BindingException("get_mempolicy returned mode " + rawMode + ", which this agent does not know");
        }
        CpuSet nodes = CpuSet.fromWords(mask);
        // Kernels before 5.14 store MPOL_LOCAL as MPOL_PREFERRED with no node and report it so.
        if (mode == MemoryMode.PREFERRED && nodes.isEmpty()) {
            mode = MemoryMode.LOCAL;
        }
        return new MemoryPolicyState(mode, mode.takesNodes() ? nodes : CpuSet.EMPTY);
    }
}
