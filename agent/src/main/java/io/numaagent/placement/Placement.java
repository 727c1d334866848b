package io.numaagent.placement;

import io.numaagent.binding.MemoryMode;
import io.numaagent.config.CpuChoice;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.DeviceLocation;
import java.util.List;
import java.util.Locale;

/**
 * Where a matched thread goes, decided from the topology alone (no kernel call), so that the
 * real run and the {@code plan} dry run give the same answer.
 *
 * @param nodeCpus              the device's allowed CPUs: the whole binding for {@code cpus = node},
 *                              the fallback when no exclusive CPU is free or a thread is past the last slot
 * @param exclusiveCandidates   for {@code core}/{@code cpu}: the CPU sets to lease, best first (whole
 *                              cores for {@code core}, even where only part of a core is the device's:
 *                              leasing the whole core keeps other threads off its siblings); a thread
 *                              is bound to {@link #exclusiveBinding} of its lease
 * @param slots                 for {@code fast}/{@code l3}/{@code spread}/{@code pack}: where the n-th
 *                              thread of the rule on this device goes (see {@link #slot})
 * @param slotsWrap             thread n past the last slot takes slot n mod size (else the device's CPUs)
 * @param memoryMode            null: leave the thread's memory policy alone
 * @param notes                 why the plan differs from the obvious one (fallbacks, skips)
 */
public record Placement(
        ThreadMatch match,
        DeviceLocation location,
        CpuSet nodeCpus,
        CpuChoice choice,
        List<CpuSet> exclusiveCandidates,
        List<ThreadSlot> slots,
        boolean slotsWrap,
        MemoryMode memoryMode,
        CpuSet memoryNodes,
        List<String> notes) {

    public Placement {
        exclusiveCandidates = List.copyOf(exclusiveCandidates);
        slots = List.copyOf(slots);
        notes = List.copyOf(notes);
    }

    /** Whether threads of this placement are numbered ({@link SlotAllocator}) to find their slot. */
    public boolean usesSlots() {
        return !slots.isEmpty();
    }

    /**
     * Where thread number {@code n} (0 for the first live thread of the rule on this device) goes:
     * its slot, or, past the last slot without wrapping, the device's CPUs and memory nodes.
     */
    public ThreadSlot slot(int n) {
        if (slots.isEmpty() || n < 0) {
            return new ThreadSlot(nodeCpus, memoryNodes, "the device's CPUs");
        }
        if (n < slots.size()) {
            return slots.get(n);
        }
        if (slotsWrap) {
            return slots.get(n % slots.size());
        }
        return new ThreadSlot(nodeCpus, memoryNodes, "the device's CPUs (thread " + (n + 1) + " is past the "
                + slots.size() + " place(s) of cpus = " + choice.word() + ")");
    }

    /** The CPUs a thread holding an exclusive lease is bound to: the lease's CPUs that are the device's. */
    public CpuSet exclusiveBinding(CpuSet leased) {
        CpuSet inside = leased.intersect(nodeCpus);
        return inside.isEmpty() ? leased : inside;
    }

    public String describeMemory() {
        return describeMemory(memoryNodes);
    }

    /** The memory policy with these nodes, e.g. {@code preferred 0}, {@code interleave 0-1}, {@code unchanged}. */
    public String describeMemory(CpuSet nodes) {
        if (memoryMode == null) {
            return "unchanged";
        }
        String mode = memoryMode.name().toLowerCase(Locale.ROOT);
        return nodes.isEmpty() ? mode : mode + " " + nodes.toList();
    }
}
