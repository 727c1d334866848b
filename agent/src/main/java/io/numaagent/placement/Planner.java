package io.numaagent.placement;

import io.numaagent.binding.MemoryMode;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.CpuChoice;
import io.numaagent.config.MemoryPolicy;
import io.numaagent.config.Rule;
import io.numaagent.topology.Core;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.DeviceLocation;
import io.numaagent.topology.Topology;
import io.numaagent.topology.UnknownDeviceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a matched rule and its device into a {@link Placement}, from the topology alone. Results
 * are cached per rule and device: a pool of a hundred threads on one device costs one decision.
 */
public final class Planner {

    private static final String CPUS_PREFIX = "cpus:";
    /** As the configuration's own limit: CpuSet.parseList would build a set of any size it is given. */
    private static final int MAX_CPU_ID = 1 << 16;

    private final Topology topology;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

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
            locate(device);
        } catch (UnknownDeviceException e) {
            problems.add(ConfigProblem.forRule(rule, "device", rule.device().text(), e.getMessage()));
        }
        return problems;
    }

    /**
     * {@link Topology#locate} plus {@code cpus:LIST}, which names CPUs rather than a device: every
     * CPU of the list must be one this process may use (online and in its cpuset), because a pin to
     * a CPU outside it is refused by the kernel (EINVAL) or trimmed silently.
     */
    DeviceLocation locate(String device) throws UnknownDeviceException {
        if (!device.startsWith(CPUS_PREFIX)) {
            return topology.locate(device);
        }
        String list = device.substring(CPUS_PREFIX.length());
        CpuSet cpus = parseCpuList(list);
        String valid = "valid: CPUs this process may use, " + topology.cpus();
        if (cpus == null || cpus.isEmpty()) {
            throw new UnknownDeviceException("'" + list + "' is not a CPU list such as 0-3,8; " + valid);
        }
        CpuSet outside = cpus.minus(topology.cpus());
        if (!outside.isEmpty()) {
            throw new UnknownDeviceException("CPUs " + outside + " of " + device + " are not CPUs this process may use"
                    + " (offline, absent, or outside its cpuset); " + valid);
        }
        CpuSet memoryNodes = CpuSet.EMPTY;
        for (var node : topology.nodes()) {
            if (node.cpus().intersects(cpus)) {
                memoryNodes = memoryNodes.with(node.id());
            }
        }
        int node = memoryNodes.size() == 1 ? memoryNodes.first() : -1;
        return new DeviceLocation(device, node, cpus, memoryNodes, device + " on node(s) " + memoryNodes.toList());
    }

    /** Null when {@code list} is not a cpulist of ids below {@link #MAX_CPU_ID} (a templated rule can expand to anything). */
    private static CpuSet parseCpuList(String list) {
        if (list.isEmpty() || !list.matches("[0-9,:-]+")) {
            return null;
        }
        for (String number : list.split("[,:-]")) {
            if (number.length() > 7 || !number.isEmpty() && Integer.parseInt(number) >= MAX_CPU_ID) {
                return null;
            }
        }
        try {
            return CpuSet.parseList(list);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The placement for a matched thread, or a one-line reason why it stays unpinned. */
    public Result plan(ThreadMatch match) {
        String key = match.rule().name() + '\0' + match.deviceName();
        Object cached = cache.get(key);
        if (cached == null) {
            cached = compute(match);
            cache.putIfAbsent(key, cached);
        }
        return cached instanceof Placement p ? new Result(Optional.of(p), null) : new Result(Optional.empty(), (String) cached);
    }

    /** Either a placement or why there is none. */
    public record Result(Optional<Placement> placement, String failure) {
    }

    private Object compute(ThreadMatch match) {
        DeviceLocation location;
        try {
            location = locate(match.deviceName());
        } catch (UnknownDeviceException e) {
            return e.getMessage();
        }
        CpuSet nodeCpus = location.cpus().intersect(topology.cpus());
        if (nodeCpus.isEmpty()) {
            return match.deviceName() + " has no CPU this process may use (" + location.explanation() + ")";
        }
        List<String> notes = new ArrayList<>();
        Rule rule = match.rule();
        List<CpuSet> candidates = switch (rule.cpus()) {
            case NODE -> List.of();
            case CORE -> coreCandidates(nodeCpus);
            case CPU -> cpuCandidates(nodeCpus);
        };
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
            } else if (mode == MemoryMode.PREFERRED && memoryNodes.size() > 1) {
                notes.add("preferred takes one node: " + memoryNodes.first() + " of " + memoryNodes.toList());
                memoryNodes = CpuSet.of(memoryNodes.first());
            }
        }
        return new Placement(match, location, nodeCpus, rule.cpus(), candidates, mode, memoryNodes, notes);
    }

    /** Whole cores inside the device's CPUs first, then cores only partly inside them. */
    private List<CpuSet> coreCandidates(CpuSet nodeCpus) {
        List<CpuSet> whole = new ArrayList<>();
        List<CpuSet> partial = new ArrayList<>();
        for (Core core : topology.cores()) {
            CpuSet inside = core.cpus().intersect(nodeCpus);
            if (inside.isEmpty()) {
                continue;
            }
            (inside.equals(core.cpus()) ? whole : partial).add(inside);
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

    static MemoryMode memoryMode(MemoryPolicy policy) {
        return switch (policy) {
            case PREFERRED -> MemoryMode.PREFERRED;
            case BIND -> MemoryMode.BIND;
            case INTERLEAVE -> MemoryMode.INTERLEAVE;
            case LOCAL -> MemoryMode.LOCAL;
            case NONE -> null;
        };
    }

    static boolean exclusive(CpuChoice choice) {
        return choice == CpuChoice.CORE || choice == CpuChoice.CPU;
    }
}
