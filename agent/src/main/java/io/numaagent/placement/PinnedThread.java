package io.numaagent.placement;

import io.numaagent.binding.CpuLease;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;

/**
 * A thread the agent pinned, as the kernel reported it back.
 *
 * @param lease the exclusive CPUs it holds until it ends, or null
 */
public record PinnedThread(
        String name,
        int tid,
        Placement placement,
        CpuSet requestedCpus,
        CpuSet kernelCpus,
        MemoryPolicyState kernelMemory,
        CpuLease lease,
        boolean confirmed) {
}
