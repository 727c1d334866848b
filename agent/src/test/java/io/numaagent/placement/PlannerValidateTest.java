package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.Rule;
import io.numaagent.topology.CpuSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule problems only the machine can show, on the sparse-nodes fixture (CPUs 0-7; nodes 0, 1, 4, 255). */
class PlannerValidateTest {

    private final Planner planner = new Planner(PlacementFixtures.machine("sparse-nodes"));

    private List<ConfigProblem> problems(String fixture) {
        AgentConfig config = PlacementFixtures.config(fixture);
        assertEquals(1, config.rules().size());
        return planner.validate(config.rules().get(0));
    }

    @Test
    void cpuListOutsideTheAllowedCpusIsAProblemNamingKeyValueAndTheValidCpus() {
        List<ConfigProblem> problems = problems("cpus-list-outside.properties");
        assertEquals(1, problems.size(), problems::toString);
        String line = problems.get(0).toString();
        assertTrue(line.contains("cpus-list-outside.properties:3"), line);
        assertTrue(line.contains("rule.w.device"), line);
        assertTrue(line.contains("cpus:6-9"), line);
        assertTrue(line.contains("CPUs 8-9 of cpus:6-9 are not CPUs this process may use"), line);
        assertTrue(line.endsWith("valid: CPUs this process may use, 0-7"), line);
    }

    @Test
    void cpuListInsideTheAllowedCpusIsPlacedOnItsNodeWithItsMemory() {
        AgentConfig config = PlacementFixtures.config("cpus-list-inside.properties");
        Rule rule = config.rules().get(0);
        assertEquals(List.of(), planner.validate(rule));
        Placement p = planner.plan(new RuleMatcher(config.rules()).match("worker-1", Thread.class, null)).placement().orElseThrow();
        assertEquals(CpuSet.range(2, 3), p.nodeCpus());
        assertEquals(1, p.location().node());
        assertEquals(CpuSet.of(1), p.memoryNodes());
    }

    @Test
    void cpuListAcrossNodesHasNoSingleNodeButBothNodesMemory() {
        AgentConfig config = PlacementFixtures.config("cpus-list-across-nodes.properties");
        Placement p = planner.plan(new RuleMatcher(config.rules()).match("worker-1", Thread.class, null)).placement().orElseThrow();
        assertEquals(CpuSet.range(1, 2), p.nodeCpus());
        assertEquals(-1, p.location().node());
        // memory = preferred takes one node of the two
        assertEquals(CpuSet.of(0), p.memoryNodes());
    }

    @Test
    void nodeOutOfRangeIsAProblemListingTheValidNodes() {
        List<ConfigProblem> problems = problems("node-out-of-range.properties");
        assertEquals(1, problems.size(), problems::toString);
        String line = problems.get(0).toString();
        assertTrue(line.contains("rule.w.device") && line.contains("node:2"), line);
        assertTrue(line.contains("node:0, node:1, node:4, node:255"), line);
    }

    @Test
    void deviceThatDoesNotExistIsAProblemListingTheValidDevices() {
        List<ConfigProblem> problems = problems("gpu-absent.properties");
        assertEquals(1, problems.size(), problems::toString);
        String line = problems.get(0).toString();
        assertTrue(line.contains("rule.w.device") && line.contains("gpu:7") && line.contains("no such device"), line);
        assertTrue(line.contains("valid: "), line);
    }
}
