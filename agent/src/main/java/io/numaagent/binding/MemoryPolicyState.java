package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.Objects;

/** A thread's memory policy as {@code get_mempolicy} reports it: the mode and its node set (empty for default and local). */
public record MemoryPolicyState(MemoryMode mode, CpuSet nodes) {

    public MemoryPolicyState {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nodes, "nodes");
    }

    /** One word plus the node list, e.g. {@code preferred 1}, {@code bind 0-1}, {@code default}, {@code local}. */
    public String describe() {
        return nodes.isEmpty() ? mode.text() : mode.text() + " " + nodes.toList();
    }

    @Override
    public String toString() {
        return describe();
    }
}
