package io.numaagent.placement;

import io.numaagent.binding.CpuLease;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;

/**
 * A thread the agent pinned, as the kernel reported it back.
 *
 * @param tid   the kernel thread id, or -1 when nothing needed it: it is read for the log line, an exclusive
 *              lease and {@code process.cpus = union}, not otherwise (it costs a native call)
 * @param lease the exclusive CPUs it holds until it ends, or null
 * @param slot  its number among the live threads of its rule and device ({@link SlotAllocator}), or -1
 */
public record PinnedThread(
        String name,
        int tid,
        Placement placement,
        CpuSet requestedCpus,
        CpuSet kernelCpus,
        MemoryPolicyState kernelMemory,
        CpuLease lease,
        int slot,
        boolean confirmed) {
}
