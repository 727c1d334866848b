package io.numaagent.placement;

import io.numaagent.binding.MemoryMode;
import io.numaagent.config.CpuChoice;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.DeviceLocation;
import java.util.List;

/**
 * Where a matched thread goes, decided from the topology alone (no kernel call), so that the
 * real run and the {@code plan} dry run give the same answer.
 *
 * @param nodeCpus              the device's allowed CPUs: the whole binding for {@code cpus = node},
 *                              the fallback when no exclusive CPU is free
 * @param exclusiveCandidates   for {@code core}/{@code cpu}: the CPU sets to lease, best first
 * @param memoryMode            null: leave the thread's memory policy alone
 * @param notes                 why the plan differs from the obvious one (fallbacks, skips)
 */
public record Placement(
        ThreadMatch match,
        DeviceLocation location,
        CpuSet nodeCpus,
        CpuChoice choice,
        List<CpuSet> exclusiveCandidates,
        MemoryMode memoryMode,
        CpuSet memoryNodes,
        List<String> notes) {

    public Placement {
        exclusiveCandidates = List.copyOf(exclusiveCandidates);
        notes = List.copyOf(notes);
    }

    public String describeMemory() {
        if (memoryMode == null) {
            return "unchanged";
        }
        String mode = memoryMode.name().toLowerCase(java.util.Locale.ROOT);
        return memoryNodes.isEmpty() ? mode : mode + " " + memoryNodes.toList();
    }
}
