package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Rule;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The CPU choices, decided from the synthetic sysfs trees of agent/src/test/resources/sysfs. */
class PlannerTest {

    private static Planner planner(String machine) throws Exception {
        Topology t = TopologyReader.read(Path.of("src/test/resources/sysfs", machine), Map.of());
        return new Planner(t);
    }

    private static Rule rule(String name) {
        LoadedConfig loaded = ConfigLoader.load("src/test/resources/placement/choices.properties", Map.of());
        assertTrue(loaded.problems().isEmpty(), loaded.problems().toString());
        return loaded.config().rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static Placement place(Planner planner, String rule) {
        Rule r = rule(rule);
        Planner.Result result = planner.plan(new ThreadMatch(r, r.device().expand(null)));
        return result.placement().orElseThrow(() -> new AssertionError(result.failure()));
    }

    /** The CPUs of the first n threads of the rule, in the order they start. */
    private static List<String> firstThreads(Placement p, int n) {
        return IntStream.range(0, n).mapToObj(i -> p.slot(i).cpus().toList()).toList();
    }

    @Test
    void fastSharesTheFastClassThenSpillsToTheNextClassThenTheNode() throws Exception {
        Placement p = place(planner("xeon-6776p-pct"), "fast");
        // two Priority Core Turbo cores (0/8 and 4/12): two threads there, six more on the other cores
        List<String> cpus = firstThreads(p, 9);
        assertEquals(List.of("0,4,8,12", "0,4,8,12"), cpus.subList(0, 2));
        cpus.subList(2, 8).forEach(c -> assertEquals("1-3,5-7,9-11,13-15", c));
        assertEquals("0-15", cpus.get(8));
        assertTrue(p.slot(0).what().contains("acpi_cppc/highest_perf"), p.slot(0).what());
    }

    @Test
    void fastOnAMachineWhoseCpusReadAlikeIsTheWholeNodeWithANote() throws Exception {
        Placement p = place(planner("memory-only-nodes"), "fast");
        assertEquals("0-1", p.slot(0).cpus().toList());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("reads alike")), p.notes().toString());
    }

    @Test
    void l3GivesEachThreadACoreComplexAndWrapsAround() throws Exception {
        Placement p = place(planner("amd-prefcore"), "l3");
        assertEquals(List.of("0-3", "4-7", "0-3"), firstThreads(p, 3));
    }

    @Test
    void l3WithoutCacheInformationUsesTheDevicesCpus() throws Exception {
        Placement p = place(planner("memory-only-nodes"), "l3");
        assertEquals(List.of("0-1", "0-1"), firstThreads(p, 2));
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("no L3")), p.notes().toString());
    }

    @Test
    void spreadGoesRoundRobinOverTheNodesOfACpuListWithEachThreadsMemoryOnItsNode() throws Exception {
        Placement p = place(planner("memory-only-nodes"), "spread");
        assertEquals(List.of("0-1", "2-3", "0-1", "2-3"), firstThreads(p, 4));
        assertEquals("0", p.slot(0).memoryNodes().toList());
        assertEquals("1", p.slot(1).memoryNodes().toList());
    }

    @Test
    void packFillsTheFirstNodeOneThreadPerCpuBeforeTheNext() throws Exception {
        Placement p = place(planner("memory-only-nodes"), "pack");
        assertEquals(List.of("0-1", "0-1", "2-3", "2-3", "0-1"), firstThreads(p, 5));
    }

    @Test
    void coreLeasesWholeCoresEvenWhenOnlyPartIsTheDevicesAndBindsToThatPart() throws Exception {
        Placement p = place(planner("xeon-6776p-pct"), "core");
        // cpus:0-3 holds one SMT thread of each of the cores 0/8 .. 3/11
        assertEquals(List.of("0,8", "1,9", "2,10", "3,11"), p.exclusiveCandidates().stream().map(CpuSet::toList).toList());
        assertEquals("0", p.exclusiveBinding(CpuSet.parseList("0,8")).toList());
    }

    @Test
    void coreNeverTakesACoreWhoseSiblingAnotherExclusiveThreadHolds() throws Exception {
        Planner planner = planner("xeon-6776p-pct");
        Placement cpu = place(planner, "cpu");
        CpuSet taken = Planner.firstFree(cpu.exclusiveCandidates(), CpuSet.EMPTY).orElseThrow();
        assertEquals("8", taken.toList());
        Placement core = place(planner, "core");
        assertEquals("1,9", Planner.firstFree(core.exclusiveCandidates(), taken).orElseThrow().toList());
    }

    @Test
    void cpuListWithCpusTheProcessMayNotUseIsAProblemNamingThem() throws Exception {
        List<ConfigProblem> problems = planner("memory-only-nodes").validate(rule("wide"));
        assertEquals(1, problems.size());
        String line = problems.get(0).toString();
        assertTrue(line.contains("rule.wide.device = 'cpus:0-99'") && line.contains("CPUs 4-99 of cpus:0-99 are not CPUs this process may use")
                && line.endsWith("valid: CPUs this process may use, 0-3"), line);
    }

    @Test
    void slotsAreNumberedLowestFreeFirstSoAReplacementThreadTakesTheFreedPlace() throws Exception {
        Placement p = place(planner("xeon-6776p-pct"), "fast");
        SlotAllocator slots = new SlotAllocator();
        assertEquals(0, slots.acquire(p));
        assertEquals(1, slots.acquire(p));
        assertEquals(2, slots.acquire(p));
        slots.release(p, 0);
        assertEquals(0, slots.acquire(p));
        assertEquals(3, slots.acquire(p));
    }

    @Test
    void theResultIsComputedOncePerRuleAndDeviceAndSharedByEveryThread() throws Exception {
        Planner planner = planner("memory-only-nodes");
        Rule spread = rule("spread");
        Planner.Result first = planner.plan(new ThreadMatch(spread, "cpus:0-3"));
        assertSame(first, planner.plan(new ThreadMatch(spread, new String("cpus:0-3"))), "same rule, equal device name");
        Planner.Result other = planner.plan(new ThreadMatch(spread, "cpus:0-1"));
        assertNotSame(first.placement().orElseThrow(), other.placement().orElseThrow(), "another device is planned on its own");
        assertEquals("0-1", other.placement().orElseThrow().nodeCpus().toList());
        Planner.Result missing = planner.plan(new ThreadMatch(spread, "gpu:7"));
        assertTrue(missing.placement().isEmpty());
        assertSame(missing, planner.plan(new ThreadMatch(spread, "gpu:7")), "a failure is cached too");
        assertEquals(3, planner.cachedResults());
    }
}
