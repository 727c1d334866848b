package io.numaagent.placement;

import io.numaagent.config.Rule;
import io.numaagent.topology.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code plan} command's stand-in for a run: threads "start" in the order given, and each is
 * matched, planned and placed as {@link ThreadPlacer} would place it: the same {@link Planner}, the
 * same {@link SlotAllocator} numbering, and exclusive CPUs taken as {@code ExclusiveCpus} hands them
 * out within one process (other processes' lock files are not consulted: a dry run leases nothing).
 * Threads never end here, so every given thread counts as live.
 */
public final class DryRun {

    private final Planner planner;
    private final RuleMatcher matcher;
    private final SlotAllocator slots = new SlotAllocator();
    private CpuSet leased = CpuSet.EMPTY;

    /** @param rules the rules the real run would keep (after {@link Planner#validate}) */
    public DryRun(Planner planner, List<Rule> rules) {
        this.planner = planner;
        this.matcher = new RuleMatcher(rules);
    }

    /**
     * Where a thread of this name would go.
     *
     * @param undecided   rules before the matched one that need a thread or Runnable class: one of
     *                    them would win if the thread's class fits
     * @param match       null when no rule settles the name
     * @param failure     why a matched thread would stay unpinned, else null
     * @param cpus        the CPUs it would be bound to, null when not pinned
     * @param memory      its memory policy as the log line shows it, e.g. {@code preferred 0}
     * @param notes       every note and warning the real run's log line would carry
     */
    public record ThreadPlan(String name, List<Rule> undecided, ThreadMatch match, Placement placement, String failure,
            CpuSet cpus, String memory, List<String> notes) {
    }

    public ThreadPlan start(String threadName) {
        RuleMatcher.NameMatch nm = matcher.matchName(threadName);
        List<String> notes = new ArrayList<>();
        for (Rule r : nm.undecided()) {
            notes.add("rule " + r.name() + " comes first and matches by "
                    + (r.threadClass().isPresent() ? "thread-class " + r.threadClass().get() : "")
                    + (r.threadClass().isPresent() && r.runnableClass().isPresent() ? " and " : "")
                    + (r.runnableClass().isPresent() ? "runnable-class " + r.runnableClass().get() : "")
                    + ", which a thread name alone cannot settle: if it holds, rule " + r.name() + " wins");
        }
        if (nm.match() == null) {
            return new ThreadPlan(threadName, nm.undecided(), null, null, null, null, "unchanged", notes);
        }
        Planner.Result result = planner.plan(nm.match());
        if (result.placement().isEmpty()) {
            notes.add("left unpinned: " + result.failure());
            return new ThreadPlan(threadName, nm.undecided(), nm.match(), null, result.failure(), null, "unchanged", notes);
        }
        Placement p = result.placement().get();
        CpuSet cpus = p.nodeCpus();
        CpuSet memoryNodes = p.memoryNodes();
        if (p.choice().exclusive()) {
            Optional<CpuSet> lease = Planner.firstFree(p.exclusiveCandidates(), leased);
            if (lease.isPresent()) {
                leased = leased.union(lease.get());
                cpus = p.exclusiveBinding(lease.get());
                notes.add("exclusive " + p.choice().word() + ": leases CPUs " + lease.get().toList());
            } else {
                notes.add(Planner.noFreeExclusive(p));
            }
        } else if (p.usesSlots()) {
            int slot = slots.acquire(p);
            ThreadSlot place = p.slot(slot);
            cpus = place.cpus();
            memoryNodes = place.memoryNodes();
            notes.add(p.choice().word() + ": thread " + (slot + 1) + " of the rule on " + p.match().deviceName()
                    + " -> " + place.what());
        }
        notes.addAll(p.notes());
        return new ThreadPlan(threadName, nm.undecided(), nm.match(), p, null, cpus, p.describeMemory(memoryNodes), notes);
    }
}
