package io.numaagent.topology;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the machine from a root directory holding {@code sys/} and {@code proc/} ({@code /} on the
 * live machine, or a captured snapshot), the way hwloc's Linux backend does, and nothing else.
 *
 * <p>Hand-written rather than a library because no maintained Java library reads sysfs topology;
 * the rules (which file wins, what a missing file means) follow the kernel's documentation of each
 * file and hwloc's behaviour, and every fallback taken is recorded in {@link Topology#notes()}.
 *
 * <p>The agent reads the machine at every start, so this is written with plain loops, nullable results
 * and named comparators: no lambdas, method references, streams or {@code Optional} chains, each lambda
 * of which costs a cold JVM a generated class (about a millisecond), and files are read with
 * {@code java.io} rather than walked with {@code Files.list} streams.
 */
public final class TopologyReader {

    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final Pattern INDEX_DIR = Pattern.compile("index(\\d+)");
    private static final Pattern PCI_ADDRESS = Pattern.compile("([0-9a-fA-F]{4,}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");
    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s*(\\d+)\\s*(kB)?");
    private static final long NVIDIA = 0x10de;
    private static final long AMD = 0x1002;

    private final Path root;
    private final Map<String, String> env;
    private final boolean live;
    private final List<String> notes = new ArrayList<>();
    private final Set<String> nulPadded = new TreeSet<>();
    private final boolean withDevices;

    private TopologyReader(Path root, Map<String, String> env, boolean withDevices) {
        this.root = root;
        this.withDevices = withDevices;
        this.env = env == null ? Map.of() : env;
        Path abs = root.toAbsolutePath().normalize();
        this.live = abs.getParent() == null;
    }

    /**
     * Reads the machine under {@code root}.
     *
     * @param env the process environment (only {@code CUDA_VISIBLE_DEVICES} is used)
     * @throws TopologyException when {@code root} is not a directory holding {@code sys/devices/system/cpu}
     */
    public static Topology read(Path root, Map<String, String> env) throws TopologyException {
        return read(root, env, true);
    }

    /**
     * The same, without the PCI devices when {@code withDevices} is false: the machine's CPUs, nodes,
     * caches and restrictions only, and no device (nor any note about one). For a JVM whose rules name
     * no device and whose report is not printed, the device scan is start-up time spent for nothing.
     */
    public static Topology read(Path root, Map<String, String> env, boolean withDevices) throws TopologyException {
        return new TopologyReader(root, env, withDevices).read();
    }

    /** Reads the live machine. */
    public static Topology readLive() throws TopologyException {
        return read(Path.of("/"), System.getenv());
    }

    // ---------------------------------------------------------------------------------------------

    private Topology read() throws TopologyException {
        if (!Files.isDirectory(root)) {
            throw new TopologyException(root + ": " + (Files.exists(root) ? "not a directory" : "does not exist")
                    + "; expected a root directory holding sys/ and proc/ (/ for this machine)");
        }
        Path cpuDir = root.resolve("sys/devices/system/cpu");
        if (!Files.isDirectory(cpuDir)) {
            throw new TopologyException(cpuDir + ": missing; expected the kernel's CPU directory, so "
                    + root + " should be a root holding sys/devices/system/cpu (/ for this machine)");
        }
        if (!Files.isReadable(cpuDir)) {
            throw new TopologyException(cpuDir + ": not readable; expected a readable sysfs CPU directory");
        }

        CpuLayer cpuLayer = readCpus(cpuDir);
        Restriction restriction = readRestriction(cpuLayer);
        CpuSet online = cpuLayer.online;
        CpuSet allowedCpus = restriction.cpus == null ? cpuLayer.known : restriction.cpus;
        CpuSet usable = online.intersect(allowedCpus);
        if (usable.isEmpty() && !online.isEmpty()) {
            notes.add("the cpuset allows CPUs " + allowedCpus + " but none of them is online (" + online
                    + "); ignoring the cpuset so that the process has CPUs to run on");
            allowedCpus = cpuLayer.known;
            usable = online;
        }

        NodeLayer nodeLayer = readNodes(cpuLayer, online);
        CpuSet allowedMems = restriction.mems == null ? nodeLayer.ids : restriction.mems;
        CpuSet allowedNodeIds = nodeLayer.ids.intersect(allowedMems);
        if (allowedNodeIds.isEmpty() && !nodeLayer.ids.isEmpty()) {
            notes.add("the cpuset allows memory nodes " + allowedMems + " but the machine's nodes are " + nodeLayer.ids
                    + "; ignoring the memory restriction");
            allowedMems = nodeLayer.ids;
            allowedNodeIds = nodeLayer.ids;
        }
        if (restriction.cpus != null || restriction.mems != null) {
            CpuSet hiddenCpus = online.minus(allowedCpus);
            CpuSet hiddenNodes = nodeLayer.ids.minus(allowedMems);
            if (!hiddenCpus.isEmpty() || !hiddenNodes.isEmpty()) {
                notes.add(restriction.source + " hides"
                        + (hiddenCpus.isEmpty() ? "" : " online CPUs " + hiddenCpus)
                        + (!hiddenCpus.isEmpty() && !hiddenNodes.isEmpty() ? " and" : "")
                        + (hiddenNodes.isEmpty() ? "" : " memory nodes " + hiddenNodes)
                        + "; only the allowed nodes are listed");
            }
        }

        List<NumaNode> nodes = buildNodes(nodeLayer, allowedNodeIds, usable);
        explainCpusOutsideNodes(nodeLayer, allowedNodeIds, usable);

        List<Cpu> cpuDetails = readCpuDetails(cpuDir, usable, nodeLayer);
        List<Core> cores = buildCores(cpuDetails, usable);
        List<Cache> caches = readCaches(cpuDir, usable);
        int possibleCount = Math.max(cpuLayer.known.size(), cpuLayer.possible.size());
        if (possibleCount > 64) {
            notes.add("the machine has " + possibleCount + " possible CPUs (more than 64"
                    + (possibleCount > 256 ? ", and more than 256" : "")
                    + "): every CPU set is read and kept without a size limit");
        }

        List<RawPci> rawDevices = withDevices ? readPci() : new ArrayList<>();
        Topology provisional = new Topology(online, allowedCpus, usable, allowedMems, nodes, cpuDetails, cores, caches,
                List.of(), List.of());
        List<PciDevice> devices = new ArrayList<>();
        for (RawPci d : rawDevices) {
            DeviceLocation where = Locality.of(provisional, d.address, d.node, d.localCpus, "pci:" + d.address, "pci:" + d.address);
            devices.add(new PciDevice(d.address, d.classCode, d.vendor, d.deviceId, d.node, d.localCpus, where.cpus(), d.names));
        }
        explainDevices(rawDevices, provisional);
        if (!nulPadded.isEmpty()) {
            notes.add("files padded with NUL bytes (the padding was ignored): " + abbreviate(new ArrayList<>(nulPadded), 5));
        }
        return new Topology(online, allowedCpus, usable, allowedMems, nodes, cpuDetails, cores, caches, devices, notes);
    }

    // --- CPUs ------------------------------------------------------------------------------------

    /** The machine's CPUs before any cpuset: which exist ({@code known}) and which are online. */
    private record CpuLayer(CpuSet known, CpuSet online, CpuSet possible, CpuSet present) {
    }

    private CpuLayer readCpus(Path cpuDir) throws TopologyException {
        CpuSet dirs = CpuSet.EMPTY;
        for (String name : list(cpuDir)) {
            Matcher m = CPU_DIR.matcher(name);
            if (m.matches()) {
                dirs = dirs.with(Integer.parseInt(m.group(1)));
            }
        }
        CpuSet possible = orEmpty(readList(cpuDir.resolve("possible")));
        CpuSet present = orEmpty(readList(cpuDir.resolve("present")));
        CpuSet onlineFile = readList(cpuDir.resolve("online"));
        CpuSet online;
        if (onlineFile != null) {
            online = onlineFile;
        } else {
            // Old kernels have no cpu/online: each hot-pluggable CPU has cpuN/online ("0" or "1"); a CPU
            // without that file (often cpu0) cannot be taken offline, so it is online.
            online = CpuSet.EMPTY;
            for (int id : dirs.toArray()) {
                String flag = readText(cpuDir.resolve("cpu" + id + "/online"));
                if (flag == null || !flag.equals("0")) {
                    online = online.with(id);
                }
            }
            if (dirs.isEmpty()) {
                online = present.isEmpty() ? possible : present;
            }
        }
        // The kernel removes cpuN/topology when a CPU goes offline; a CPU without it while others have it
        // is offline (or half set up), and hwloc skips it too.
        CpuSet withTopology = CpuSet.EMPTY;
        for (int id : dirs.toArray()) {
            if (Files.isDirectory(cpuDir.resolve("cpu" + id + "/topology"))) {
                withTopology = withTopology.with(id);
            }
        }
        if (!withTopology.isEmpty()) {
            CpuSet noTopology = online.intersect(dirs).minus(withTopology);
            if (!noTopology.isEmpty()) {
                notes.add("CPUs " + noTopology + " are listed online but have no topology directory; treated as offline");
                online = online.minus(noTopology);
            }
        }
        if (online.isEmpty()) {
            throw new TopologyException(cpuDir + ": no online CPU found (no cpuN directories and no online file); "
                    + "expected the kernel's CPU directory with cpu0, cpu1, ...");
        }
        CpuSet known = dirs.union(online).union(present);
        CpuSet offline = known.minus(online);
        if (!offline.isEmpty()) {
            notes.add("CPUs " + offline + " are offline and not used");
        }
        return new CpuLayer(known, online, possible, present);
    }

    // --- cpuset / cgroup -------------------------------------------------------------------------

    /** What the process may use; null fields mean "no restriction found". */
    private record Restriction(CpuSet cpus, CpuSet mems, String source) {
    }

    private record Mount(String device, Path mountPoint, String type, List<String> options) {
    }

    private Restriction readRestriction(CpuLayer cpuLayer) {
        CpuSet cpus = null;
        CpuSet mems = null;
        List<String> sources = new ArrayList<>();

        List<Mount> mounts = readMounts();
        Map<String, String> cgroupPaths = readProcSelfCgroup();
        String legacyPath = readText(root.resolve("proc/self/cpuset"));

        Mount v1 = null;
        Mount legacy = null;
        Mount v2 = null;
        for (Mount m : mounts) {
            if (v1 == null && m.type.equals("cgroup") && m.options.contains("cpuset")) {
                v1 = m;
            }
            if (legacy == null && m.type.equals("cpuset")) {
                legacy = m;
            }
            if (v2 == null && m.type.equals("cgroup2")) {
                v2 = m;
            }
        }
        Path dir = null;
        String prefix = "cpuset.";
        String kind = null;
        if (v1 != null) {
            // The cpuset controller is bound to at most one hierarchy; when a v1 hierarchy has it, v2 has not.
            String path = cgroupPaths.getOrDefault("cpuset", legacyPath);
            prefix = v1.options.contains("noprefix") ? "" : "cpuset.";
            dir = cgroupDir(v1.mountPoint, path);
            kind = "cgroup v1 cpuset at " + v1.mountPoint + (path == null ? "" : " (" + path + ")");
        } else if (legacy != null) {
            dir = cgroupDir(legacy.mountPoint, legacyPath);
            prefix = "";
            kind = "legacy cpuset at " + legacy.mountPoint + (legacyPath == null ? "" : " (" + legacyPath + ")");
        } else if (v2 != null) {
            String path = cgroupPaths.getOrDefault("", legacyPath);
            Path leaf = cgroupDir(v2.mountPoint, path);
            // cpuset.*.effective exists only where the cpuset controller is enabled; above that the nearest
            // ancestor that has it decides.
            Path mountDir = root.resolve(relative(v2.mountPoint));
            Path d = leaf;
            while (d != null && d.startsWith(mountDir) && !Files.exists(d.resolve("cpuset.cpus.effective"))) {
                d = d.equals(mountDir) ? null : d.getParent();
            }
            if (d != null) {
                CpuSet c = readList(d.resolve("cpuset.cpus.effective"));
                CpuSet m = readList(d.resolve("cpuset.mems.effective"));
                cpus = c == null || c.isEmpty() ? null : c;
                mems = m == null || m.isEmpty() ? null : m;
                sources.add("cgroup v2 cpuset at " + v2.mountPoint + (path == null ? "" : " (" + path + ")"));
            }
        } else if (Files.isDirectory(root.resolve("dev/cpuset"))) {
            dir = cgroupDir(Path.of("/dev/cpuset"), legacyPath);
            prefix = Files.exists(root.resolve("dev/cpuset/cpuset.cpus")) ? "cpuset." : "";
            kind = "legacy cpuset at /dev/cpuset" + (legacyPath == null ? "" : " (" + legacyPath + ")");
        }
        if (dir != null && kind != null) {
            CpuSet c = readList(dir.resolve(prefix + "effective_cpus"));
            if (c == null) {
                c = readList(dir.resolve(prefix + "cpus"));
            }
            CpuSet m = readList(dir.resolve(prefix + "effective_mems"));
            if (m == null) {
                m = readList(dir.resolve(prefix + "mems"));
            }
            if (c == null && m == null) {
                notes.add(kind + ": no cpus/mems file in " + dir + "; no cpuset restriction applied");
            } else {
                cpus = c;
                mems = m;
                sources.add(kind);
            }
        }

        if (live) {
            // Only the live machine has the process's own affinity mask; snapshots have no proc/self/status.
            String status = readText(root.resolve("proc/self/status"));
            if (status != null) {
                for (String line : status.split("\n")) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        CpuSet mask = parseListOrNote(line.substring(18), "proc/self/status Cpus_allowed_list");
                        if (mask != null) {
                            cpus = cpus == null ? mask : cpus.intersect(mask);
                            sources.add("the process's affinity mask");
                        }
                    } else if (line.startsWith("Mems_allowed_list:")) {
                        CpuSet mask = parseListOrNote(line.substring(18), "proc/self/status Mems_allowed_list");
                        if (mask != null) {
                            mems = mems == null ? mask : mems.intersect(mask);
                        }
                    }
                }
            }
        }
        return new Restriction(cpus, mems, sources.isEmpty() ? "the cpuset" : String.join(" and ", sources));
    }

    private Path cgroupDir(Path mountPoint, String path) {
        Path base = root.resolve(relative(mountPoint));
        if (path == null || path.isBlank() || path.equals("/")) {
            return base;
        }
        Path d = base.resolve(path.startsWith("/") ? path.substring(1) : path);
        if (!Files.isDirectory(d)) {
            // Inside a cgroup namespace the mount is already the process's own cgroup.
            notes.add("cgroup " + path + " not found under " + mountPoint + "; using the mount's root cpuset");
            return base;
        }
        return d;
    }

    private List<Mount> readMounts() {
        List<Mount> mounts = new ArrayList<>();
        String text = readText(root.resolve("proc/mounts"));
        if (text == null) {
            return mounts;
        }
        for (String line : text.split("\n")) {
            String[] f = splitAtWhiteSpace(line.trim());
            if (f.length < 4) {
                continue;
            }
            mounts.add(new Mount(f[0], Path.of(unescapeMount(f[1])), f[2], List.of(f[3].split(","))));
        }
        return mounts;
    }

    /** {@code /proc/mounts} escapes space, tab, newline and backslash as octal ({@code \040}). */
    private static String unescapeMount(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2)) && isOctal(s.charAt(i + 3))) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /**
     * {@code text.split("\\s+")} for a trimmed line, without compiling a regex for each line: the
     * parts between runs of white space ({@code [ \t\n\x0B\f\r]}); an empty line is one empty part.
     */
    static String[] splitAtWhiteSpace(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (isRegexSpace(text.charAt(i))) {
                parts.add(text.substring(start, i));
                while (i < text.length() && isRegexSpace(text.charAt(i))) {
                    i++;
                }
                start = i;
            } else {
                i++;
            }
        }
        parts.add(text.substring(start));
        // As split(): trailing empty parts are dropped, but an empty text is one empty part.
        int end = parts.size();
        while (end > 1 && parts.get(end - 1).isEmpty()) {
            end--;
        }
        return parts.subList(0, end).toArray(new String[0]);
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** Controller name to cgroup path from {@code proc/self/cgroup}; the v2 line ({@code 0::path}) is under "". */
    private Map<String, String> readProcSelfCgroup() {
        Map<String, String> paths = new LinkedHashMap<>();
        String text = readText(root.resolve("proc/self/cgroup"));
        if (text == null) {
            return paths;
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                paths.put("", f[2].trim());
            }
            for (String controller : f[1].split(",")) {
                if (!controller.isEmpty()) {
                    paths.put(controller, f[2].trim());
                }
            }
        }
        return paths;
    }

    private static Path relative(Path absolute) {
        String s = absolute.toString();
        return Path.of(s.startsWith("/") ? s.substring(1) : s);
    }

    // --- NUMA nodes ------------------------------------------------------------------------------

    /** Every node of the machine (allowed or not), with its raw CPUs as the kernel lists them. */
    private record NodeLayer(CpuSet ids, Map<Integer, CpuSet> rawCpus, Map<Integer, Long> memory,
            Map<Integer, Map<Integer, Integer>> distances, boolean synthetic) {
    }

    private NodeLayer readNodes(CpuLayer cpuLayer, CpuSet online) {
        Path nodeDir = root.resolve("sys/devices/system/node");
        CpuSet dirs = CpuSet.EMPTY;
        if (Files.isDirectory(nodeDir)) {
            for (String name : listQuietly(nodeDir)) {
                Matcher m = NODE_DIR.matcher(name);
                if (m.matches()) {
                    dirs = dirs.with(Integer.parseInt(m.group(1)));
                }
            }
        }
        if (dirs.isEmpty()) {
            long mem = readMemTotal(root.resolve("proc/meminfo"));
            notes.add("no NUMA node directory (" + nodeDir + "): one node 0 holding every CPU"
                    + (mem > 0 ? " and all memory (proc/meminfo)" : ""));
            Map<Integer, CpuSet> raw = new TreeMap<>();
            raw.put(0, cpuLayer.known.union(online));
            return new NodeLayer(CpuSet.of(0), raw, Map.of(0, mem), Map.of(), true);
        }
        CpuSet listed = readList(nodeDir.resolve("online"));
        if (listed == null) {
            listed = dirs;
        }
        CpuSet ids = listed.intersect(dirs);
        if (!listed.equals(ids)) {
            notes.add("nodes " + listed.minus(dirs) + " are listed online but have no directory; ignored");
        }
        Map<Integer, CpuSet> rawCpus = new TreeMap<>();
        Map<Integer, Long> memory = new TreeMap<>();
        CpuSet claimed = CpuSet.EMPTY;
        CpuSet overlapping = CpuSet.EMPTY;
        CpuSet unreadable = CpuSet.EMPTY;
        for (int id : ids.toArray()) {
            Path d = nodeDir.resolve("node" + id);
            // cpulist and cpumap are the same set in two notations; old kernels only have cpumap.
            CpuSet cpus = readList(d.resolve("cpulist"));
            CpuSet map = readMask(d.resolve("cpumap"));
            if (cpus != null && map != null && !cpus.intersect(online).equals(map.intersect(online))) {
                notes.add("node " + id + ": cpulist " + cpus + " and cpumap " + map + " disagree; using cpumap as hwloc does");
                cpus = map;
            }
            if (cpus == null) {
                cpus = map;
            }
            if (cpus == null) {
                unreadable = unreadable.with(id);
                continue;
            }
            // Firmware sometimes lists the same CPUs in several nodes. A CPU runs on one node only, so like
            // hwloc we keep the first node that lists it and ignore later nodes that repeat CPUs.
            if (cpus.intersects(claimed)) {
                overlapping = overlapping.with(id);
                continue;
            }
            claimed = claimed.union(cpus);
            rawCpus.put(id, cpus);
            memory.put(id, readMemTotal(d.resolve("meminfo")));
        }
        if (!unreadable.isEmpty()) {
            notes.add("nodes " + unreadable + " have neither a readable cpulist nor cpumap; ignored");
        }
        if (!overlapping.isEmpty()) {
            notes.add("firmware lists the same CPUs in several nodes: nodes " + overlapping
                    + " repeat CPUs of lower nodes and are ignored (as hwloc does)");
        }
        CpuSet kept = CpuSet.EMPTY;
        for (int id : rawCpus.keySet()) {
            kept = kept.with(id);
        }
        Map<Integer, Map<Integer, Integer>> distances = readDistances(nodeDir, ids, dirs, kept);
        return new NodeLayer(kept, rawCpus, memory, distances, false);
    }

    /**
     * {@code nodeN/distance} holds one value per online node, in id order (the kernel prints it with
     * for_each_online_node). Some snapshots' rows match {@code possible} instead; a row that matches
     * neither is ignored.
     */
    private Map<Integer, Map<Integer, Integer>> readDistances(Path nodeDir, CpuSet online, CpuSet dirs, CpuSet kept) {
        Map<Integer, Map<Integer, Integer>> all = new TreeMap<>();
        CpuSet possible = orEmpty(readList(nodeDir.resolve("possible")));
        CpuSet bad = CpuSet.EMPTY;
        CpuSet missing = CpuSet.EMPTY;
        for (int id : kept.toArray()) {
            String text = readText(nodeDir.resolve("node" + id + "/distance"));
            if (text == null) {
                missing = missing.with(id);
                continue;
            }
            String[] parts = splitAtWhiteSpace(text.trim());
            int[] values = new int[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) {
                    values[i] = Integer.parseInt(parts[i]);
                }
            } catch (NumberFormatException e) {
                bad = bad.with(id);
                continue;
            }
            int[] order = null;
            for (CpuSet candidate : List.of(online, possible, dirs)) {
                if (candidate.size() == values.length && candidate.contains(id)) {
                    order = candidate.toArray();
                    break;
                }
            }
            if (order == null) {
                bad = bad.with(id);
                continue;
            }
            Map<Integer, Integer> row = new TreeMap<>();
            for (int i = 0; i < order.length; i++) {
                if (kept.contains(order[i])) {
                    row.put(order[i], values[i]);
                }
            }
            all.put(id, row);
        }
        if (!missing.isEmpty() && kept.size() > 1) {
            notes.add("nodes " + missing + " have no distance file; their distances are unknown");
        }
        if (!bad.isEmpty()) {
            notes.add("nodes " + bad + ": distance rows do not match the node list; ignored");
        }
        return all;
    }

    private List<NumaNode> buildNodes(NodeLayer layer, CpuSet allowedIds, CpuSet usable) {
        Path nodeDir = root.resolve("sys/devices/system/node");
        List<NumaNode> nodes = new ArrayList<>();
        for (int id : allowedIds.toArray()) {
            CpuSet raw = layer.rawCpus.get(id);
            CpuSet cpus = raw.intersect(usable);
            CpuSet near;
            if (!raw.isEmpty()) {
                near = cpus;
            } else {
                near = nearCpusOfCpulessNode(nodeDir, id, layer, usable);
            }
            nodes.add(new NumaNode(id, cpus, near, layer.memory.getOrDefault(id, 0L),
                    layer.distances.getOrDefault(id, Map.of())));
            if (raw.isEmpty() && !layer.synthetic) {
                // explained in nearCpusOfCpulessNode
            } else if (cpus.isEmpty()) {
                notes.add("node " + id + ": its CPUs " + raw + " are all offline or outside the cpuset; it is listed for its memory only");
            }
        }
        return nodes;
    }

    /**
     * A node with memory but no CPU (CXL, HBM, persistent memory, GPU memory): its near CPUs are those
     * of its HMAT initiators ({@code access1} lists CPU initiators only, {@code access0} any initiator),
     * else those of the nearest nodes with CPUs by distance, else (no locality) every usable CPU.
     */
    private CpuSet nearCpusOfCpulessNode(Path nodeDir, int id, NodeLayer layer, CpuSet usable) {
        for (String access : List.of("access1", "access0")) {
            Path initiators = nodeDir.resolve("node" + id + "/" + access + "/initiators");
            if (!Files.isDirectory(initiators)) {
                continue;
            }
            CpuSet initiatorNodes = CpuSet.EMPTY;
            CpuSet cpus = CpuSet.EMPTY;
            for (String name : listQuietly(initiators)) {
                Matcher m = NODE_DIR.matcher(name);
                if (m.matches()) {
                    int initiator = Integer.parseInt(m.group(1));
                    CpuSet raw = layer.rawCpus.get(initiator);
                    if (initiator != id && raw != null) {
                        initiatorNodes = initiatorNodes.with(initiator);
                        cpus = cpus.union(raw);
                    }
                }
            }
            if (!cpus.isEmpty()) {
                CpuSet near = cpus.intersect(usable);
                notes.add("node " + id + " has memory but no CPUs; its near CPUs " + describe(near)
                        + " are those of its HMAT initiators (" + access + ": nodes " + initiatorNodes + ")");
                return near;
            }
        }
        Map<Integer, Integer> row = layer.distances.get(id);
        if (row != null && row.containsKey(id)) {
            int self = row.get(id);
            int min = Integer.MAX_VALUE;
            for (Map.Entry<Integer, Integer> e : row.entrySet()) {
                CpuSet raw = layer.rawCpus.get(e.getKey());
                if (e.getKey() != id && raw != null && !raw.isEmpty()) {
                    min = Math.min(min, e.getValue());
                }
            }
            CpuSet nearest = null;
            CpuSet cpus = CpuSet.EMPTY;
            if (min != Integer.MAX_VALUE && min > self) {
                nearest = CpuSet.EMPTY;
                for (Map.Entry<Integer, Integer> e : row.entrySet()) {
                    CpuSet raw = layer.rawCpus.get(e.getKey());
                    if (e.getKey() != id && raw != null && !raw.isEmpty() && e.getValue() == min) {
                        nearest = nearest.with(e.getKey());
                        cpus = cpus.union(raw);
                    }
                }
                long cpuNodes = 0;
                for (int k : row.keySet()) {
                    if (k != id && layer.rawCpus.get(k) != null && !layer.rawCpus.get(k).isEmpty()) {
                        cpuNodes++;
                    }
                }
                if (nearest.size() > 1 && nearest.size() == cpuNodes) {
                    // Every node with CPUs is equally far: the distances carry no locality (hwloc agrees).
                    nearest = null;
                }
            }
            if (nearest != null) {
                CpuSet near = cpus.intersect(usable);
                notes.add("node " + id + " has memory but no CPUs and no HMAT initiators; its near CPUs " + describe(near)
                        + " are those of the nearest nodes with CPUs by distance (nodes " + nearest + ", distance " + min + ")");
                return near;
            }
        }
        notes.add("node " + id + " has memory but no CPUs, no HMAT initiators and no useful distances;"
                + " it has no locality, so every usable CPU counts as near");
        return usable;
    }

    private void explainCpusOutsideNodes(NodeLayer layer, CpuSet allowedIds, CpuSet usable) {
        CpuSet inAllowed = CpuSet.EMPTY;
        CpuSet inAny = CpuSet.EMPTY;
        for (Map.Entry<Integer, CpuSet> e : layer.rawCpus.entrySet()) {
            inAny = inAny.union(e.getValue());
            if (allowedIds.contains(e.getKey())) {
                inAllowed = inAllowed.union(e.getValue());
            }
        }
        CpuSet inNoNode = usable.minus(inAny);
        if (!inNoNode.isEmpty()) {
            notes.add("CPUs " + inNoNode + " belong to no NUMA node; the process may run on them but no node's memory is local to them");
        }
        CpuSet inDisallowed = usable.intersect(inAny).minus(inAllowed);
        if (!inDisallowed.isEmpty()) {
            CpuSet owners = CpuSet.EMPTY;
            for (Map.Entry<Integer, CpuSet> e : layer.rawCpus.entrySet()) {
                if (e.getValue().intersects(inDisallowed)) {
                    owners = owners.with(e.getKey());
                }
            }
            notes.add("CPUs " + inDisallowed + " belong to nodes " + owners
                    + " whose memory the process may not use; they are usable but in no listed node");
        }
    }

    // --- per-CPU details, cores, caches ----------------------------------------------------------

    private List<Cpu> readCpuDetails(Path cpuDir, CpuSet usable, NodeLayer layer) {
        CpuSet pCores = orEmpty(readList(root.resolve("sys/devices/cpu_core/cpus")));
        CpuSet eCores = orEmpty(readList(root.resolve("sys/devices/cpu_atom/cpus")));
        Map<Integer, Integer> nodeOf = new TreeMap<>();
        for (Map.Entry<Integer, CpuSet> e : layer.rawCpus.entrySet()) {
            for (int cpu : e.getValue().toArray()) {
                nodeOf.putIfAbsent(cpu, e.getKey());
            }
        }
        List<Cpu> cpus = new ArrayList<>();
        for (int id : usable.toArray()) {
            Path d = cpuDir.resolve("cpu" + id);
            Path t = d.resolve("topology");
            CpuSet siblings = readList(t.resolve("core_cpus_list"));
            if (siblings == null) {
                siblings = readList(t.resolve("thread_siblings_list"));
            }
            if (siblings == null) {
                siblings = readMask(t.resolve("core_cpus"));
            }
            if (siblings == null) {
                siblings = readMask(t.resolve("thread_siblings"));
            }
            if (siblings == null) {
                siblings = CpuSet.of(id);
            }
            String hybrid = pCores.contains(id) ? "core" : eCores.contains(id) ? "atom" : null;
            cpus.add(new Cpu(id,
                    (int) readLong(t.resolve("physical_package_id")),
                    (int) readLong(t.resolve("die_id")),
                    (int) readLong(t.resolve("core_id")),
                    siblings,
                    nodeOf.getOrDefault(id, -1),
                    readLong(d.resolve("acpi_cppc/highest_perf")),
                    readLong(d.resolve("cpufreq/amd_pstate_prefcore_ranking")),
                    readLong(d.resolve("cpufreq/amd_pstate_highest_perf")),
                    readLong(d.resolve("cpu_capacity")),
                    readLong(d.resolve("cpufreq/base_frequency")),
                    readLong(d.resolve("cpufreq/cpuinfo_max_freq")),
                    hybrid));
        }
        return cpus;
    }

    private static List<Core> buildCores(List<Cpu> cpus, CpuSet usable) {
        Map<CpuSet, Core> cores = new LinkedHashMap<>();
        for (Cpu cpu : cpus) {
            CpuSet siblings = cpu.siblings().intersect(usable);
            if (siblings.isEmpty()) {
                siblings = CpuSet.of(cpu.id());
            }
            cores.putIfAbsent(siblings, new Core(cpu.packageId(), cpu.coreId(), siblings, cpu.node()));
        }
        return new ArrayList<>(cores.values());
    }

    private List<Cache> readCaches(Path cpuDir, CpuSet usable) {
        Map<String, Cache> caches = new LinkedHashMap<>();
        for (int id : usable.toArray()) {
            Path cacheDir = cpuDir.resolve("cpu" + id + "/cache");
            if (!Files.isDirectory(cacheDir)) {
                continue;
            }
            for (String name : listQuietly(cacheDir)) {
                if (!INDEX_DIR.matcher(name).matches()) {
                    continue;
                }
                Path d = cacheDir.resolve(name);
                long level = readLong(d.resolve("level"));
                String type = readText(d.resolve("type"));
                if (type == null) {
                    type = "Unknown";
                }
                String sizeText = readText(d.resolve("size"));
                long size = sizeText == null ? 0L : parseSize(sizeText);
                CpuSet shared = readList(d.resolve("shared_cpu_list"));
                if (shared == null) {
                    shared = readMask(d.resolve("shared_cpu_map"));
                }
                if (shared == null) {
                    shared = CpuSet.of(id);
                }
                CpuSet cpus = shared.intersect(usable);
                if (level < 0 || cpus.isEmpty()) {
                    continue;
                }
                caches.putIfAbsent(level + "/" + type + "/" + cpus, new Cache((int) level, type, size, cpus));
            }
        }
        List<Cache> list = new ArrayList<>(caches.values());
        list.sort(CacheOrder.INSTANCE);
        return list;
    }

    /** By level, then type, then first CPU. */
    private static final class CacheOrder implements Comparator<Cache> {
        static final CacheOrder INSTANCE = new CacheOrder();

        @Override
        public int compare(Cache a, Cache b) {
            int c = Integer.compare(a.level(), b.level());
            if (c == 0) {
                c = a.type().compareTo(b.type());
            }
            return c != 0 ? c : Integer.compare(a.cpus().first(), b.cpus().first());
        }
    }

    /** Cache sizes read like {@code 32K}, {@code 16384K}, {@code 8M}. */
    static long parseSize(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return 0;
        }
        long unit = 1;
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1024L : last == 'M' ? 1024L * 1024 : 1024L * 1024 * 1024;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s.trim()) * unit;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // --- PCI -------------------------------------------------------------------------------------

    private static final class RawPci {
        final String address;
        final String classCode;
        final String vendor;
        final String deviceId;
        final int node;
        final CpuSet localCpus;
        final List<String> names = new ArrayList<>();
        /** Domain, bus, device, function as one number: the order PCI devices are listed in. */
        final long sortKey;

        RawPci(String address, String classCode, String vendor, String deviceId, int node, CpuSet localCpus) {
            this.sortKey = pciKey(address);
            this.address = address;
            this.classCode = classCode;
            this.vendor = vendor;
            this.deviceId = deviceId;
            this.node = node;
            this.localCpus = localCpus;
        }
    }

    private List<RawPci> readPci() {
        Path pciDir = root.resolve("sys/bus/pci/devices");
        List<RawPci> devices = new ArrayList<>();
        if (!Files.isDirectory(pciDir)) {
            return devices;
        }
        List<String> disagreeing = new ArrayList<>();
        for (String name : listQuietly(pciDir)) {
            if (!PCI_ADDRESS.matcher(name).matches()) {
                continue;
            }
            Path d = pciDir.resolve(name);
            String address = name.toLowerCase(java.util.Locale.ROOT);
            long node = readLong(d.resolve("numa_node"));
            // local_cpus and local_cpulist are the same set in two notations; when a snapshot's two
            // disagree, the mask wins, as it does for hwloc.
            CpuSet mask = readMask(d.resolve("local_cpus"));
            CpuSet list = readList(d.resolve("local_cpulist"));
            if (mask != null && list != null && !mask.equals(list)) {
                disagreeing.add(address);
            }
            CpuSet local = mask != null ? mask : orEmpty(list);
            devices.add(new RawPci(address,
                    lowerCaseOrEmpty(readText(d.resolve("class"))),
                    lowerCaseOrEmpty(readText(d.resolve("vendor"))),
                    lowerCaseOrEmpty(readText(d.resolve("device"))),
                    node < 0 ? -1 : (int) node, local));
        }
        if (!disagreeing.isEmpty()) {
            notes.add("PCI " + abbreviate(disagreeing, 5) + ": local_cpus and local_cpulist disagree; using local_cpus");
        }
        devices.sort(PciOrder.INSTANCE);
        nameGpus(devices);
        nameByClass(devices, "sys/class/accel", "accel:", Pattern.compile("accel\\d+"), true);
        nameByClass(devices, "sys/class/net", "net:", Pattern.compile(".+"), false);
        nameByClass(devices, "sys/class/nvme", "nvme:", Pattern.compile(".+"), false);
        return devices;
    }

    private static final class PciOrder implements Comparator<RawPci> {
        static final PciOrder INSTANCE = new PciOrder();

        @Override
        public int compare(RawPci a, RawPci b) {
            return Long.compare(a.sortKey, b.sortKey);
        }
    }

    private static String lowerCaseOrEmpty(String text) {
        return text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
    }

    /** Sort key: domain, bus, device, function, numerically (domains can be 32-bit). */
    private static long pciKey(String address) {
        Matcher m = PCI_ADDRESS.matcher(address);
        if (!m.matches()) {
            return Long.MAX_VALUE;
        }
        return (Long.parseLong(m.group(1), 16) << 24) | (Long.parseLong(m.group(2), 16) << 16)
                | (Long.parseLong(m.group(3), 16) << 8) | Long.parseLong(m.group(4), 16);
    }

    private void nameGpus(List<RawPci> devices) {
        List<RawPci> gpus = new ArrayList<>();
        for (RawPci d : devices) {
            long vendor = parseHex(d.vendor);
            if ((vendor == NVIDIA || vendor == AMD) && d.classCode.startsWith("0x03")) {
                gpus.add(d);
            }
        }
        List<RawPci> order = gpus;
        String visible = env.get("CUDA_VISIBLE_DEVICES");
        if (visible != null) {
            List<RawPci> renumbered = new ArrayList<>();
            boolean integers = true;
            String[] parts = visible.trim().isEmpty() ? new String[0] : visible.split(",");
            for (String p : parts) {
                if (!isInteger(p.trim())) {
                    integers = false;
                }
            }
            if (!integers) {
                notes.add("CUDA_VISIBLE_DEVICES='" + visible + "' holds no integer indices (UUIDs or MIG ids);"
                        + " gpu:N follows PCI bus order");
            } else {
                for (String p : parts) {
                    int index = Integer.parseInt(p.trim());
                    // CUDA ignores the list from the first invalid index on.
                    if (index < 0 || index >= gpus.size()) {
                        notes.add("CUDA_VISIBLE_DEVICES='" + visible + "': index " + index + " names no GPU (there are "
                                + gpus.size() + "); like CUDA, it and the indices after it are ignored");
                        break;
                    }
                    if (!renumbered.contains(gpus.get(index))) {
                        renumbered.add(gpus.get(index));
                    }
                }
                order = renumbered;
                List<String> hidden = new ArrayList<>();
                for (RawPci g : gpus) {
                    if (!renumbered.contains(g)) {
                        hidden.add(g.address);
                    }
                }
                StringBuilder visibleNames = new StringBuilder();
                for (int i = 0; i < renumbered.size(); i++) {
                    visibleNames.append(i == 0 ? "" : ", ").append("gpu:").append(i).append(" = ").append(renumbered.get(i).address);
                }
                notes.add("CUDA_VISIBLE_DEVICES='" + visible + "' renumbers the GPUs: "
                        + (renumbered.isEmpty() ? "none is visible" : visibleNames.toString())
                        + (hidden.isEmpty() ? "" : "; hidden: " + String.join(", ", hidden)));
            }
        }
        for (int i = 0; i < order.size(); i++) {
            order.get(i).names.add("gpu:" + i);
        }
    }

    /** {@code text.matches("-?\\d+")}. */
    private static boolean isInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Names devices found under a {@code sys/class} directory whose entries link to their PCI function. */
    private void nameByClass(List<RawPci> devices, String classDir, String prefix, Pattern entry, boolean numbered) {
        Path dir = root.resolve(classDir);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<String> entries = new ArrayList<>(listQuietly(dir));
        entries.sort(ClassEntryOrder.INSTANCE);
        for (String name : entries) {
            if (!entry.matcher(name).matches()) {
                continue;
            }
            String address = pciAddressOf(dir.resolve(name).resolve("device"));
            if (address == null) {
                continue;
            }
            String deviceName = prefix + (numbered ? digitsOf(name) : name);
            for (RawPci d : devices) {
                if (d.address.equals(address)) {
                    d.names.add(deviceName);
                }
            }
        }
    }

    /**
     * {@code eth2} before {@code eth10}: by the name without its trailing number, then by that number (-1
     * when there is none, or the name is all digits), then by the whole name.
     */
    private static final class ClassEntryOrder implements Comparator<String> {
        static final ClassEntryOrder INSTANCE = new ClassEntryOrder();

        @Override
        public int compare(String a, String b) {
            int c = a.substring(0, trailingDigitsStart(a)).compareTo(b.substring(0, trailingDigitsStart(b)));
            if (c == 0) {
                c = Integer.compare(trailingNumber(a), trailingNumber(b));
            }
            return c != 0 ? c : a.compareTo(b);
        }

        private static int trailingDigitsStart(String s) {
            int start = s.length();
            while (start > 0 && s.charAt(start - 1) >= '0' && s.charAt(start - 1) <= '9') {
                start--;
            }
            return start;
        }

        private static int trailingNumber(String s) {
            int start = trailingDigitsStart(s);
            return start > 0 && start < s.length() ? Integer.parseInt(s.substring(start)) : -1;
        }
    }

    /** The ASCII digits of {@code s}, in order ({@code accel12} gives {@code 12}). */
    private static String digitsOf(String s) {
        StringBuilder digits = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    /**
     * The PCI function a {@code sys/class/X/Y/device} link leads to: the last path component that is
     * a PCI address (a virtio net device's parent, for instance, is its PCI function).
     */
    private String pciAddressOf(Path link) {
        List<String> components = new ArrayList<>();
        try {
            if (Files.exists(link)) {
                for (Path p : link.toRealPath()) {
                    components.add(p.toString());
                }
            } else if (Files.isSymbolicLink(link)) {
                for (Path p : Files.readSymbolicLink(link)) {
                    components.add(p.toString());
                }
            }
        } catch (IOException | SecurityException e) {
            return null;
        }
        for (int i = components.size() - 1; i >= 0; i--) {
            if (PCI_ADDRESS.matcher(components.get(i)).matches()) {
                return components.get(i).toLowerCase(java.util.Locale.ROOT);
            }
        }
        // A copied tree (no symbolic links) still names the function in the device's uevent.
        String uevent = readText(link.resolve("uevent"));
        if (uevent != null) {
            for (String line : uevent.split("\n")) {
                if (line.startsWith("PCI_SLOT_NAME=")) {
                    return line.substring(14).trim().toLowerCase(java.util.Locale.ROOT);
                }
            }
        }
        return null;
    }

    private void explainDevices(List<RawPci> devices, Topology t) {
        List<String> narrow = new ArrayList<>();
        List<String> none = new ArrayList<>();
        List<String> hiddenNode = new ArrayList<>();
        List<String> conflicting = new ArrayList<>();
        for (RawPci d : devices) {
            if (d.node < 0) {
                if (!d.localCpus.isEmpty() && !d.localCpus.containsAll(t.onlineCpus())
                        && Locality.cutsAcross(t, d.localCpus.intersect(t.cpus()))) {
                    conflicting.add(d.address + " (" + d.localCpus + ")");
                } else if (!d.localCpus.isEmpty() && !d.localCpus.containsAll(t.onlineCpus())) {
                    narrow.add(d.address + " (" + d.localCpus + ")");
                } else {
                    none.add(d.address);
                }
            } else if (t.node(d.node).isEmpty() || t.node(d.node).get().cpus().isEmpty()) {
                hiddenNode.add(d.address + " (node " + d.node + ")");
            }
        }
        if (!narrow.isEmpty()) {
            notes.add("PCI functions with numa_node -1 but local CPUs narrower than the machine are placed on those CPUs: "
                    + abbreviate(narrow, 8));
        }
        if (!none.isEmpty()) {
            notes.add("PCI functions with numa_node -1 and local CPUs covering the whole machine have no locality"
                    + " (workers use all allowed CPUs, memory is left alone): " + abbreviate(none, 8));
        }
        if (!conflicting.isEmpty()) {
            notes.add("PCI functions with numa_node -1 whose local CPUs cut across node or package boundaries have no"
                    + " locality (workers use all allowed CPUs): " + abbreviate(conflicting, 8));
        }
        if (!hiddenNode.isEmpty()) {
            notes.add("PCI functions on a node with no CPU this process may use (workers use the node's near CPUs,"
                    + " else all allowed CPUs): " + abbreviate(hiddenNode, 8));
        }
    }

    // --- file helpers ----------------------------------------------------------------------------

    private static String abbreviate(List<String> items, int max) {
        if (items.size() <= max) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, max)) + " and " + (items.size() - max) + " more";
    }

    private static String describe(CpuSet cpus) {
        return cpus.isEmpty() ? "(none allowed)" : cpus.toList();
    }

    private List<String> list(Path dir) throws TopologyException {
        try {
            return names(dir);
        } catch (IOException e) {
            throw new TopologyException(dir + ": cannot list (" + e.getMessage() + "); expected a readable directory");
        }
    }

    private List<String> listQuietly(Path dir) {
        try {
            return names(dir);
        } catch (IOException e) {
            notes.add(dir + ": cannot list (" + e.getMessage() + "); skipped");
            return List.of();
        }
    }

    /**
     * The names in a directory, sorted. {@code File.list} first: the JVM has its classes loaded already,
     * where a {@code DirectoryStream} loads some 15 more. It gives no reason when it fails, so only then
     * is the directory listed again through {@code Files}, whose exception says why.
     */
    private static List<String> names(Path dir) throws IOException {
        String[] listed = dir.toFile().list();
        if (listed != null) {
            List<String> names = new ArrayList<>(listed.length);
            for (String name : listed) {
                names.add(name);
            }
            names.sort(null);
            return names;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        names.sort(null);
        return names;
    }

    private static CpuSet orEmpty(CpuSet set) {
        return set == null ? CpuSet.EMPTY : set;
    }

    /** A file's text without NUL padding and surrounding white space; null when missing or unreadable. */
    private String readText(Path file) {
        try {
            File f = file.toFile();
            if (!f.isFile()) {
                return null;
            }
            byte[] bytes;
            try (FileInputStream in = new FileInputStream(f)) {
                bytes = in.readAllBytes();
            }
            String s = new String(bytes, StandardCharsets.UTF_8);
            int nul = s.indexOf('\0');
            if (nul >= 0) {
                nulPadded.add(root.relativize(file).toString());
                s = s.substring(0, nul);
            }
            return s.strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** A cpulist file; null when missing, unreadable or not a list (then noted). */
    private CpuSet readList(Path file) {
        String s = readText(file);
        return s == null ? null : parseListOrNote(s, root.relativize(file).toString());
    }

    /** A cpumask file; null when missing, unreadable or not a mask (then noted). */
    private CpuSet readMask(Path file) {
        String s = readText(file);
        if (s == null) {
            return null;
        }
        try {
            return CpuSet.parseMask(s);
        } catch (IllegalArgumentException e) {
            notes.add(root.relativize(file) + ": " + e.getMessage() + "; ignored");
            return null;
        }
    }

    private CpuSet parseListOrNote(String text, String where) {
        try {
            return CpuSet.parseList(text);
        } catch (IllegalArgumentException e) {
            notes.add(where + ": " + e.getMessage() + "; ignored");
            return null;
        }
    }

    /** A decimal (or 0x-hex) number; -1 when the file is missing or holds something else. */
    private long readLong(Path file) {
        String s = readText(file);
        if (s == null) {
            return -1L;
        }
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private static long parseHex(String s) {
        try {
            return Long.parseLong(s.startsWith("0x") ? s.substring(2) : s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code MemTotal} in bytes; 0 when the file or the line is missing. */
    private long readMemTotal(Path meminfo) {
        String s = readText(meminfo);
        if (s == null) {
            return 0L;
        }
        Matcher m = MEM_TOTAL.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) * (m.group(2) != null ? 1024L : 1L) : 0L;
    }
}
