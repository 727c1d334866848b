package io.numaagent.placement;

import io.numaagent.binding.MemoryMode;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.CpuChoice;
import io.numaagent.config.MemoryPolicy;
import io.numaagent.config.Rule;
import io.numaagent.topology.Cache;
import io.numaagent.topology.Core;
import io.numaagent.topology.CpuKind;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.DeviceLocation;
import io.numaagent.topology.NumaNode;
import io.numaagent.topology.Topology;
import io.numaagent.topology.UnknownDeviceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a matched rule and its device into a {@link Placement}, from the topology alone. Results
 * are cached per rule and device: a pool of a hundred threads on one device costs one decision.
 */
public final class Planner {

    private final Topology topology;
    private final Map<Key, Result> cache = new ConcurrentHashMap<>();

    public Planner(Topology topology) {
        this.topology = topology;
    }

    public Topology topology() {
        return topology;
    }

    /**
     * The problems a rule has on this machine that can be seen before any thread starts: a device
     * that does not exist, a CPU list outside what the process may use. Templated devices
     * ({@code gpu:$1}) are checked per thread instead.
     */
    public List<ConfigProblem> validate(Rule rule) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (rule.device().isTemplated()) {
            return problems;
        }
        String device = rule.device().expand(null);
        try {
            topology.locate(device);
        } catch (UnknownDeviceException e) {
            problems.add(ConfigProblem.forRule(rule, "device", rule.device().text(), e.getMessage()));
        }
        return problems;
    }

    /**
     * The placement for a matched thread, or a one-line reason why it stays unpinned. The result is
     * computed once per rule and device and then shared by every thread they match: it holds only what
     * the topology decides. What differs per thread (the exclusive CPU it leases, its slot number) is
     * chosen by the caller each time, from the shared placement.
     */
    public Result plan(ThreadMatch match) {
        Key key = new Key(match.rule(), match.deviceName());
        Result cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Object computed = compute(match);
        Result result = computed instanceof Placement p ? new Result(Optional.of(p), null) : new Result(Optional.empty(), (String) computed);
        Result raced = cache.putIfAbsent(key, result);
        return raced != null ? raced : result;
    }

    /** How many rule-and-device pairs have a cached result (tests). */
    int cachedResults() {
        return cache.size();
    }

    /** Either a placement or why there is none. */
    public record Result(Optional<Placement> placement, String failure) {
    }

    /**
     * The cache key: the rule by identity (a record's own hashCode would hash all its fields on every
     * thread start) and the expanded device name (the same String each time for an untemplated device,
     * so its hash is cached).
     */
    private static final class Key {
        private final Rule rule;
        private final String device;

        Key(Rule rule, String device) {
            this.rule = rule;
            this.device = device;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.rule == rule && k.device.equals(device);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(rule) + device.hashCode();
        }
    }

    private Object compute(ThreadMatch match) {
        DeviceLocation location;
        try {
            location = topology.locate(match.deviceName());
        } catch (UnknownDeviceException e) {
            return e.getMessage();
        }
        CpuSet nodeCpus = location.cpus().intersect(topology.cpus());
        if (nodeCpus.isEmpty()) {
            return match.deviceName() + " has no CPU this process may use (" + location.explanation() + ")";
        }
        List<String> notes = new ArrayList<>();
        Rule rule = match.rule();
        MemoryMode mode = memoryMode(rule.memory());
        CpuSet memoryNodes = CpuSet.EMPTY;
        if (mode != null && mode != MemoryMode.LOCAL) {
            memoryNodes = location.memoryNodes().intersect(topology.allowedMemoryNodes());
            if (memoryNodes.isEmpty()) {
                notes.add("memory policy left unchanged: " + (location.memoryNodes().isEmpty()
                        ? match.deviceName() + " has no memory locality"
                        : "node(s) " + location.memoryNodes().toList() + " not in the memory nodes this process may use ("
                                + topology.allowedMemoryNodes().toList() + ")"));
                mode = null;
            }
        }
        List<CpuSet> candidates = switch (rule.cpus()) {
            case CORE -> coreCandidates(nodeCpus);
            case CPU -> cpuCandidates(nodeCpus);
            default -> List.of();
        };
        boolean perNode = rule.cpus() == CpuChoice.SPREAD || rule.cpus() == CpuChoice.PACK;
        List<ThreadSlot> slots = switch (rule.cpus()) {
            case FAST -> fastSlots(nodeCpus, memoryNodes, notes);
            case L3 -> l3Slots(nodeCpus, memoryNodes, notes);
            case SPREAD, PACK -> nodeSlots(rule.cpus(), nodeCpus, memoryNodes, mode, notes);
            default -> List.of();
        };
        if (mode == MemoryMode.PREFERRED && memoryNodes.size() > 1) {
            if (!perNode) {
                notes.add("preferred takes one node: " + memoryNodes.first() + " of " + memoryNodes.toList());
            }
            memoryNodes = CpuSet.of(memoryNodes.first());
            // preferred takes one node in every slot too
            slots = slots.stream().map(t -> t.memoryNodes().size() > 1
                    ? new ThreadSlot(t.cpus(), CpuSet.of(t.memoryNodes().first()), t.what()) : t).toList();
        }
        boolean wrap = rule.cpus() != CpuChoice.FAST;
        return new Placement(match, location, nodeCpus, rule.cpus(), candidates, slots, wrap, mode, memoryNodes, notes);
    }

    /**
     * Whole cores of the device first, then cores only partly the device's; each candidate is the
     * whole core (its usable SMT siblings), so that leasing it keeps every other exclusive thread
     * off its siblings (Kubernetes' full-pcpus-only); the thread is bound to the device's part.
     */
    private List<CpuSet> coreCandidates(CpuSet nodeCpus) {
        List<CpuSet> whole = new ArrayList<>();
        List<CpuSet> partial = new ArrayList<>();
        for (Core core : topology.cores()) {
            CpuSet inside = core.cpus().intersect(nodeCpus);
            if (inside.isEmpty()) {
                continue;
            }
            (inside.equals(core.cpus()) ? whole : partial).add(core.cpus());
        }
        whole.addAll(partial);
        return whole;
    }

    /** One CPU of each core before a second CPU of any core, so SMT siblings are shared last. */
    private List<CpuSet> cpuCandidates(CpuSet nodeCpus) {
        List<CpuSet> firsts = new ArrayList<>();
        List<CpuSet> rest = new ArrayList<>();
        CpuSet seen = CpuSet.EMPTY;
        for (Core core : topology.cores()) {
            int[] cpus = core.cpus().intersect(nodeCpus).toArray();
            for (int i = 0; i < cpus.length; i++) {
                (i == 0 ? firsts : rest).add(CpuSet.of(cpus[i]));
                seen = seen.with(cpus[i]);
            }
        }
        // CPUs the core list does not know (a snapshot without topology files) still count.
        nodeCpus.minus(seen).stream().forEach(cpu -> rest.add(CpuSet.of(cpu)));
        firsts.addAll(rest);
        return firsts;
    }

    /**
     * {@code fast}: one slot per core of each CPU class of the device, fastest class first; every
     * slot of a class is the whole class (threads share it). Past the last core, the device's CPUs.
     */
    private List<ThreadSlot> fastSlots(CpuSet nodeCpus, CpuSet memoryNodes, List<String> notes) {
        List<CpuKind> kinds = topology.cpuKinds(nodeCpus);
        if (kinds.size() == 1) {
            notes.add("fast: every CPU of " + nodeCpus.toList() + " reads alike (" + kinds.get(0).source()
                    + "), so the fastest class is all of them");
        }
        List<ThreadSlot> slots = new ArrayList<>();
        for (CpuKind kind : kinds) {
            int cores = coresIn(kind.cpus());
            String what = "fast class " + kind.rank() + " " + kind.cpus().toList()
                    + (kind.source().equals(CpuKind.UNIFORM) ? "" : " (by " + kind.source() + ")");
            for (int i = 0; i < cores; i++) {
                slots.add(new ThreadSlot(kind.cpus(), memoryNodes, what));
            }
        }
        return slots;
    }

    private int coresIn(CpuSet cpus) {
        int n = 0;
        CpuSet seen = CpuSet.EMPTY;
        for (Core core : topology.cores()) {
            if (core.cpus().intersects(cpus)) {
                n++;
                seen = seen.union(core.cpus());
            }
        }
        return n + cpus.minus(seen).size();
    }

    /** {@code l3}: one slot per L3 domain of the device, those with more of its CPUs first; wraps around. */
    private List<ThreadSlot> l3Slots(CpuSet nodeCpus, CpuSet memoryNodes, List<String> notes) {
        List<CpuSet> domains = new ArrayList<>();
        for (Cache cache : topology.caches()) {
            CpuSet inside = cache.cpus().intersect(nodeCpus);
            if (cache.level() == 3 && !inside.isEmpty() && !domains.contains(inside)) {
                domains.add(inside);
            }
        }
        domains.sort(Comparator.comparingInt(CpuSet::size).reversed().thenComparingInt(CpuSet::first));
        if (domains.isEmpty()) {
            notes.add("l3: the machine lists no L3 cache for " + nodeCpus.toList() + ", so every thread uses all of them");
            return List.of(new ThreadSlot(nodeCpus, memoryNodes, "the device's CPUs (no L3 listed)"));
        }
        if (domains.size() == 1) {
            notes.add("l3: the device's CPUs " + nodeCpus.toList() + " share one L3");
        }
        List<ThreadSlot> slots = new ArrayList<>();
        for (CpuSet d : domains) {
            slots.add(new ThreadSlot(d, memoryNodes, "L3 " + d.toList()));
        }
        return slots;
    }

    /**
     * {@code spread}: one slot per node of the device's CPUs, threads round-robin over them;
     * {@code pack}: each node's slot repeated once per CPU, so the first node fills before the next.
     * A thread's memory goes to its own node.
     */
    private List<ThreadSlot> nodeSlots(CpuChoice choice, CpuSet nodeCpus, CpuSet memoryNodes, MemoryMode mode, List<String> notes) {
        List<ThreadSlot> parts = new ArrayList<>();
        CpuSet covered = CpuSet.EMPTY;
        for (NumaNode node : topology.nodes()) {
            CpuSet inside = node.cpus().intersect(nodeCpus);
            if (inside.isEmpty()) {
                continue;
            }
            covered = covered.union(inside);
            CpuSet memory = memoryNodes;
            if (mode != null && mode != MemoryMode.INTERLEAVE && memoryNodes.contains(node.id())) {
                memory = CpuSet.of(node.id());
            }
            parts.add(new ThreadSlot(inside, memory, "node " + node.id() + " " + inside.toList()));
        }
        CpuSet elsewhere = nodeCpus.minus(covered);
        if (!elsewhere.isEmpty()) {
            parts.add(new ThreadSlot(elsewhere, memoryNodes, "CPUs in no listed node " + elsewhere.toList()));
        }
        if (parts.size() == 1) {
            notes.add(choice.word() + ": the device's CPUs " + nodeCpus.toList() + " are on one node, so every thread uses them");
        }
        if (choice == CpuChoice.SPREAD) {
            return parts;
        }
        List<ThreadSlot> slots = new ArrayList<>();
        for (ThreadSlot part : parts) {
            for (int i = 0; i < part.cpus().size(); i++) {
                slots.add(part);
            }
        }
        return slots;
    }

    static MemoryMode memoryMode(MemoryPolicy policy) {
        return switch (policy) {
            case PREFERRED -> MemoryMode.PREFERRED;
            case BIND -> MemoryMode.BIND;
            case INTERLEAVE -> MemoryMode.INTERLEAVE;
            case LOCAL -> MemoryMode.LOCAL;
            case NONE -> null;
        };
    }

    /** The warning when every exclusive candidate is taken: the thread shares the device's CPUs. */
    static String noFreeExclusive(Placement placement) {
        return "no free exclusive " + placement.choice().word() + " on " + placement.match().deviceName()
                + (placement.choice() == CpuChoice.CORE ? " (a whole core, no SMT sibling of another exclusive thread)" : "")
                + ", using its node's CPUs " + placement.nodeCpus().toList();
    }

    /**
     * The first candidate none of whose CPUs is in {@code taken}, as {@code ExclusiveCpus.acquire}
     * picks within one process: the dry run's stand-in for the lock files.
     */
    static Optional<CpuSet> firstFree(List<CpuSet> candidates, CpuSet taken) {
        return candidates.stream().filter(c -> !c.intersects(taken)).findFirst();
    }
}
