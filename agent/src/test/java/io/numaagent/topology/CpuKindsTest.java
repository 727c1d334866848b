package io.numaagent.topology;

import static io.numaagent.topology.TopologyReaderTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU classes from the synthetic trees of make-fixtures.sh: one tree per way a machine shows its fast cores. */
class CpuKindsTest {

    private static List<String> cpus(List<CpuKind> kinds) {
        return kinds.stream().map(k -> k.cpus().toList()).toList();
    }

    @Test
    void xeonPriorityCoreTurboCoresAreTheFastClassByCppcHighestPerf() throws Exception {
        List<CpuKind> kinds = read("xeon-6776p-pct").cpuKinds();
        assertEquals(List.of("0,4,8,12", "1-3,5-7,9-11,13-15"), cpus(kinds));
        assertEquals("acpi_cppc/highest_perf", kinds.get(0).source());
        assertEquals(List.of(0, 1), kinds.stream().map(CpuKind::rank).toList());
        assertTrue(kinds.get(0).values().contains("acpi_cppc/highest_perf 46"), kinds.get(0).values());
    }

    @Test
    void amdPreferredCoresAreTheFastClassByPrefcoreRanking() throws Exception {
        List<CpuKind> kinds = read("amd-prefcore").cpuKinds();
        assertEquals(List.of("0-3", "4-7"), cpus(kinds));
        assertEquals("amd_pstate_prefcore_ranking", kinds.get(0).source());
        assertEquals("amd_pstate_prefcore_ranking 221-236", kinds.get(0).values());
    }

    @Test
    void armClustersRankByCapacityPrimeThenMidThenLittle() throws Exception {
        List<CpuKind> kinds = read("arm-big-little").cpuKinds();
        assertEquals(List.of("7", "3-6", "0-2"), cpus(kinds));
        kinds.forEach(k -> assertEquals("cpu_capacity", k.source(), k.toString()));
    }

    @Test
    void intelHybridPmusPutCoreBeforeAtom() throws Exception {
        List<CpuKind> kinds = read("intel-hybrid-pmu").cpuKinds();
        assertEquals(List.of("0-3", "4-7"), cpus(kinds));
        assertEquals("cpu_core/cpu_atom", kinds.get(0).source());
        assertEquals("cpu_core/cpu_atom core", kinds.get(0).values());
    }

    @Test
    void machineWhoseCpusReadAlikeHasOneUniformClass() throws Exception {
        List<CpuKind> kinds = read("memory-only-nodes").cpuKinds();
        assertEquals(1, kinds.size());
        assertEquals(new CpuKind(0, CpuSet.parseList("0-3"), CpuKind.UNIFORM, ""), kinds.get(0));
    }

    @Test
    void kindsWithinSomeCpusKeepTheirMachineWideRank() throws Exception {
        Topology t = read("arm-big-little");
        List<CpuKind> within = t.cpuKinds(CpuSet.parseList("0-4"));
        assertEquals(List.of("3-4", "0-2"), cpus(within));
        assertEquals(List.of(1, 2), within.stream().map(CpuKind::rank).toList());
    }

    @Test
    void cpuListDeviceIsPlacedOnTheNodesHoldingItsCpus() throws Exception {
        Topology t = read("memory-only-nodes");
        DeviceLocation one = t.locate("cpus:2-3");
        assertEquals(1, one.node());
        assertEquals("2-3", one.cpus().toList());
        assertEquals("1", one.memoryNodes().toList());
        DeviceLocation both = t.locate("cpus:1-2");
        assertEquals(-1, both.node());
        assertEquals("0-1", both.memoryNodes().toList());
        assertTrue(both.explanation().contains("spanning nodes 0-1"), both.explanation());
    }

    @Test
    void cpuListDeviceOutsideTheUsableCpusIsRejectedNamingThem() throws Exception {
        Topology t = read("memory-only-nodes");
        UnknownDeviceException e = assertThrows(UnknownDeviceException.class, () -> t.locate("cpus:2-5"));
        assertTrue(e.getMessage().contains("CPUs 4-5 of cpus:2-5 are not CPUs this process may use"), e.getMessage());
        assertTrue(e.getMessage().endsWith("valid: CPUs this process may use, 0-3"), e.getMessage());
    }
}
