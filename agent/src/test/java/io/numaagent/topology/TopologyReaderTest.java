package io.numaagent.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases of reading sysfs, each on a small tree under src/test/resources/sysfs (see make-fixtures.sh). */
class TopologyReaderTest {

    /** Read in place (surefire runs in agent/) so that symbolic links stay links. */
    static Topology read(String name, Map<String, String> env) throws TopologyException {
        Path root = Path.of("src/test/resources/sysfs", name);
        assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is missing");
        return TopologyReader.read(root, env);
    }

    static Topology read(String name) throws TopologyException {
        return read(name, Map.of());
    }

    static boolean noted(Topology t, String fragment) {
        return t.notes().stream().anyMatch(n -> n.contains(fragment));
    }

    static String cpus(NumaNode n) {
        return n.cpus().toList();
    }

    @Test
    void memoryOnlyNodeWithHmatInitiatorIsNearTheInitiatorsCpus() throws Exception {
        Topology t = read("memory-only-nodes");
        NumaNode n2 = t.node(2).orElseThrow();
        assertTrue(n2.memoryOnly());
        assertEquals("2-3", n2.nearCpus().toList());
        assertEquals(4L * 1024 * 1024 * 1024, n2.memoryBytes());
        assertTrue(noted(t, "node 2 has memory but no CPUs; its near CPUs 2-3 are those of its HMAT initiators"), t.notes().toString());
    }

    @Test
    void memoryOnlyNodeWithoutInitiatorsIsNearTheClosestNodeByDistance() throws Exception {
        Topology t = read("memory-only-nodes");
        NumaNode n3 = t.node(3).orElseThrow();
        assertEquals("0-1", n3.nearCpus().toList());
        assertTrue(noted(t, "node 3 has memory but no CPUs and no HMAT initiators"), t.notes().toString());
        DeviceLocation loc = t.locate("node:3");
        assertEquals("0-1", loc.cpus().toList());
        assertEquals("3", loc.memoryNodes().toList());
    }

    @Test
    void memoryOnlyNodeWithEqualDistancesHasNoLocality() throws Exception {
        Topology t = read("memory-only-no-locality");
        assertEquals("0-3", t.node(2).orElseThrow().nearCpus().toList());
        assertTrue(noted(t, "node 2 has memory but no CPUs, no HMAT initiators and no useful distances"), t.notes().toString());
    }

    @Test
    void distancesAreKeyedByNodeId() throws Exception {
        Topology t = read("memory-only-nodes");
        assertEquals(Map.of(0, 10, 1, 20, 2, 30, 3, 15), t.node(0).orElseThrow().distances());
    }

    @Test
    void deviceWithNumaNodeMinusOneUsesNarrowLocalCpus() throws Exception {
        Topology t = read("pci-devices");
        DeviceLocation loc = t.locate("pci:00:01.0");
        assertEquals("0-1", loc.cpus().toList());
        assertEquals("0", loc.memoryNodes().toList());
        assertTrue(loc.explanation().contains("numa_node -1"), loc.explanation());
        assertTrue(noted(t, "numa_node -1 but local CPUs narrower than the machine"), t.notes().toString());
    }

    @Test
    void deviceWithNumaNodeMinusOneAndFullLocalCpusHasNoLocality() throws Exception {
        Topology t = read("pci-devices");
        DeviceLocation loc = t.locate("pci:0000:00:02.0");
        assertEquals(-1, loc.node());
        assertEquals(t.cpus(), loc.cpus());
        assertTrue(loc.memoryNodes().isEmpty());
        assertTrue(loc.explanation().contains("no locality"), loc.explanation());
        assertTrue(noted(t, "have no locality"), t.notes().toString());
    }

    @Test
    void gpusAreNumberedInPciBusOrder() throws Exception {
        Topology t = read("pci-devices");
        DeviceLocation gpu0 = t.locate("gpu:0");
        assertEquals("gpu:0 is PCI 0000:17:00.0 on node 0", gpu0.explanation());
        assertEquals("0-1", gpu0.cpus().toList());
        assertEquals("0000:18:00.0", t.locate("gpu:1").explanation().split(" ")[3]);
        DeviceLocation gpu2 = t.locate("gpu:2");
        assertEquals(1, gpu2.node());
        assertEquals("2-3", gpu2.cpus().toList());
        assertEquals("1", gpu2.memoryNodes().toList());
    }

    @Test
    void cudaVisibleDevicesRenumbersGpus() throws Exception {
        Topology t = read("pci-devices", Map.of("CUDA_VISIBLE_DEVICES", "2,0"));
        assertTrue(t.locate("gpu:0").explanation().startsWith("gpu:0 is PCI 0000:3b:00.0"));
        assertTrue(t.locate("gpu:1").explanation().startsWith("gpu:1 is PCI 0000:17:00.0"));
        assertThrows(UnknownDeviceException.class, () -> t.locate("gpu:2"));
        assertTrue(noted(t, "renumbers the GPUs"), t.notes().toString());
    }

    @Test
    void cudaVisibleDevicesWithUuidsKeepsBusOrder() throws Exception {
        Topology t = read("pci-devices", Map.of("CUDA_VISIBLE_DEVICES", "GPU-8a7c1f2e"));
        assertTrue(t.locate("gpu:0").explanation().startsWith("gpu:0 is PCI 0000:17:00.0"));
        assertTrue(noted(t, "holds no integer indices"), t.notes().toString());
    }

    @Test
    void netNvmeAndAccelDevicesAreNamedThroughSysClass() throws Exception {
        Topology t = read("pci-devices");
        assertEquals("2-3", t.locate("net:eth0").cpus().toList());
        assertEquals("0-1", t.locate("nvme:nvme0").cpus().toList());
        assertEquals("2-3", t.locate("accel:0").cpus().toList());
        assertTrue(t.deviceNames().containsAll(List.of("gpu:0", "gpu:1", "gpu:2", "net:eth0", "nvme:nvme0", "accel:0", "node:0", "node:1")),
                t.deviceNames().toString());
    }

    @Test
    void readingWithoutDevicesKeepsTheRestOfTheMachine() throws Exception {
        Path root = Path.of("src/test/resources/sysfs", "pci-devices");
        Topology full = TopologyReader.read(root, Map.of());
        Topology bare = TopologyReader.read(root, Map.of(), false);
        assertTrue(bare.devices().isEmpty(), bare.devices().toString());
        assertFalse(full.devices().isEmpty());
        assertEquals(full.nodes(), bare.nodes());
        assertEquals(full.cpus(), bare.cpus());
        assertEquals(full.cpuDetails(), bare.cpuDetails());
        assertEquals(full.caches(), bare.caches());
        assertEquals("2-3", bare.locate("node:1").cpus().toList());
    }

    @Test
    void unknownDeviceNamesTheValidNames() throws Exception {
        Topology t = read("pci-devices");
        UnknownDeviceException e = assertThrows(UnknownDeviceException.class, () -> t.locate("gpu:7"));
        assertTrue(e.getMessage().contains("gpu:7") && e.getMessage().contains("net:eth0") && e.getMessage().contains("pci:DOMAIN:BUS:DEV.FN"),
                e.getMessage());
        assertThrows(UnknownDeviceException.class, () -> t.locate("node:9"));
        assertThrows(UnknownDeviceException.class, () -> t.locate("pci:0000:99:00.0"));
    }

    @Test
    void offlineCpusAreLeftOut() throws Exception {
        Topology t = read("offline-cpus");
        assertEquals("0-1,3-4", t.cpus().toList());
        assertEquals("0-1,3-4", cpus(t.node(0).orElseThrow()));
        assertTrue(noted(t, "CPUs 2,5 are offline"), t.notes().toString());
    }

    @Test
    void perCpuOnlineFlagsAreReadWithoutTheOnlineFile() throws Exception {
        Topology t = read("per-cpu-online");
        assertEquals("0-1,3", t.cpus().toList());
    }

    @Test
    void cgroupV1CpusetRestrictsCpusAndNodes() throws Exception {
        Topology t = read("cgroup-v1");
        assertEquals("1-3", t.cpus().toList());
        assertEquals("1", t.allowedMemoryNodes().toList());
        assertEquals(List.of(1), t.nodes().stream().map(NumaNode::id).toList());
        assertTrue(noted(t, "hides online CPUs 0 and memory nodes 0"), t.notes().toString());
    }

    @Test
    void cpusInNoAllowedNodeAreExplained() throws Exception {
        Topology t = read("cgroup-v1");
        assertTrue(noted(t, "CPUs 1 belong to nodes 0 whose memory the process may not use"), t.notes().toString());
    }

    @Test
    void cgroupV2AtNonStandardMountIsFoundThroughProcMounts() throws Exception {
        Topology t = read("cgroup-v2-custom-mount");
        assertEquals("2-3", t.cpus().toList());
        assertEquals(List.of(1), t.nodes().stream().map(NumaNode::id).toList());
        assertTrue(noted(t, "cgroup v2 cpuset at /run/my cgroups"), t.notes().toString());
    }

    @Test
    void legacyDevCpusetRestricts() throws Exception {
        Topology t = read("dev-cpuset");
        assertEquals("0-1", t.cpus().toList());
        assertEquals(List.of(0), t.nodes().stream().map(NumaNode::id).toList());
    }

    @Test
    void overlappingNodeCpulistsKeepTheFirstNode() throws Exception {
        Topology t = read("overlapping-nodes");
        assertEquals(List.of(0), t.nodes().stream().map(NumaNode::id).toList());
        assertEquals("0-3", cpus(t.node(0).orElseThrow()));
        assertTrue(noted(t, "firmware lists the same CPUs in several nodes"), t.notes().toString());
    }

    @Test
    void noNodeDirectoryMeansOneNodeWithAllCpus() throws Exception {
        Topology t = read("no-node-dir");
        assertEquals(1, t.nodes().size());
        NumaNode n = t.nodes().get(0);
        assertEquals(0, n.id());
        assertEquals("0-3", cpus(n));
        assertEquals(8L * 1024 * 1024 * 1024, n.memoryBytes());
        assertTrue(noted(t, "no NUMA node directory"), t.notes().toString());
    }

    @Test
    void cpumapIsReadWhenCpulistIsAbsent() throws Exception {
        Topology t = read("cpumap-only");
        assertEquals("0-19", cpus(t.node(0).orElseThrow()));
        assertEquals("20-39", cpus(t.node(1).orElseThrow()));
    }

    @Test
    void nulPaddedFilesAreRead() throws Exception {
        Topology t = read("nul-padded");
        assertEquals("0-3", t.cpus().toList());
        assertEquals("2-3", cpus(t.node(1).orElseThrow()));
        assertEquals(Map.of(0, 20, 1, 10), t.node(1).orElseThrow().distances());
        assertTrue(noted(t, "padded with NUL bytes"), t.notes().toString());
    }

    @Test
    void moreThan256CpusAreRead() throws Exception {
        Topology t = read("many-cpus");
        assertEquals("0-319", t.cpus().toList());
        assertEquals("0-159", cpus(t.node(0).orElseThrow()));
        assertEquals("160-319", cpus(t.node(1).orElseThrow()));
        assertTrue(noted(t, "more than 64, and more than 256"), t.notes().toString());
    }

    @Test
    void sparseNodeIdsUpTo255() throws Exception {
        Topology t = read("sparse-nodes");
        assertEquals(List.of(0, 1, 4, 255), t.nodes().stream().map(NumaNode::id).toList());
        assertEquals("6-7", cpus(t.node(255).orElseThrow()));
        assertEquals(Map.of(0, 40, 1, 40, 4, 40, 255, 10), t.node(255).orElseThrow().distances());
        assertEquals(255, t.cpuDetails().stream().filter(c -> c.id() == 7).findFirst().orElseThrow().node());
    }

    @Test
    void missingRootIsOneClearError(@TempDir Path tmp) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.read(tmp.resolve("nope"), Map.of()));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void rootWithoutSysIsOneClearError(@TempDir Path tmp) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.read(tmp, Map.of()));
        assertTrue(e.getMessage().contains("sys/devices/system/cpu") && e.getMessage().contains("expected"), e.getMessage());
    }
}
