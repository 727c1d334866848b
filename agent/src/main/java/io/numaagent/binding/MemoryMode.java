package io.numaagent.binding;

/**
 * A Linux memory policy mode ({@code MPOL_*} in linux/mempolicy.h), numbered as the kernel numbers
 * them. "none" (leave the thread's policy as it is) is not a mode: the caller simply does not apply one.
 */
public enum MemoryMode {
    /** MPOL_DEFAULT: no thread policy; the process/system default (allocate on the local node) applies. */
    DEFAULT(0, "default"),
    /** MPOL_PREFERRED: try one node first, fall back to others when it is full. */
    PREFERRED(1, "preferred"),
    /** MPOL_BIND: only these nodes; when they are full the allocation fails (OOM), no fallback. */
    BIND(2, "bind"),
    /** MPOL_INTERLEAVE: pages round-robin over these nodes. */
    INTERLEAVE(3, "interleave"),
    /** MPOL_LOCAL (kernel 3.8+): the node of the CPU that touches the page first. */
    LOCAL(4, "local"),
    /** MPOL_PREFERRED_MANY (kernel 5.15+): try these nodes first. Read back from a policy set outside the agent (numactl --preferred-many). */
    PREFERRED_MANY(5, "preferred-many"),
    /** MPOL_WEIGHTED_INTERLEAVE (kernel 6.9+). Read back from a policy set outside the agent. */
    WEIGHTED_INTERLEAVE(6, "weighted-interleave");

    private final int kernelValue;
    private final String text;

    MemoryMode(int kernelValue, String text) {
        this.kernelValue = kernelValue;
        this.text = text;
    }

    int kernelValue() {
        return kernelValue;
    }

    /** The lower-case name used in logs and config, e.g. {@code preferred-many}. */
    public String text() {
        return text;
    }

    /** Whether the mode takes a node set (default and local do not). */
    public boolean takesNodes() {
        return this != DEFAULT && this != LOCAL;
    }

    static MemoryMode ofKernelValue(int value) {
        for (MemoryMode m : values()) {
            if (m.kernelValue == value) {
                return m;
            }
        }
        return null;
    }
}
