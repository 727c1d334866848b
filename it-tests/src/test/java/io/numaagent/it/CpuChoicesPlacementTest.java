package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.config;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static io.numaagent.it.SampleEngineProcess.underAgent;
import static io.numaagent.it.SampleEngineProcess.workerCpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each CPU choice ({@code rule.NAME.cpus}) on a synthetic machine laid on this host's two CPUs,
 * judged by the kernel masks of the sample engine's workers. Workers start concurrently, so
 * which worker gets which place is not fixed; the set of places is.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CpuChoicesPlacementTest {

    @TempDir
    Path dir;

    @Test
    void fastPutsTheFirstWorkerOnTheFastCpuThenSpillsToTheNextClassThenTheNode() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-fast-cpu1", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "fast-workers.properties", machine)).args("--devices", "3"))) {
            assertEquals(List.of(List.of(0), List.of(1), List.of(0, 1)), sorted(workerCpus(engine)), engine.describe());
        }
    }

    @Test
    void fastWithOneWorkerUsesOnlyTheFastCpu() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-fast-cpu1", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "fast-workers.properties", machine)).args("--devices", "1"))) {
            assertEquals(List.of(List.of(1)), workerCpus(engine), engine.describe());
        }
    }

    @Test
    void l3GivesEachWorkerACacheDomainOfItsOwn() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-fast-cpu1", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "l3-workers.properties", machine)).args("--devices", "2"))) {
            assertEquals(Set.of(List.of(0), List.of(1)), Set.copyOf(workerCpus(engine)), engine.describe());
        }
    }

    @Test
    void spreadPutsWorkersOfOneRuleOnDifferentNodesWithMemoryOnTheirOwnNode() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "spread-over-two-nodes.properties", machine)).args("--devices", "2"))) {
            Map<List<Integer>, EngineOutput.Line> byCpus = workersByCpus(engine);
            assertEquals(Set.of(List.of(0), List.of(1)), byCpus.keySet(), engine.describe());
            // node 0 is this host's real node: the worker placed there prefers it
            assertEquals("preferred:0", byCpus.get(List.of(0)).get("mempolicy"), engine.describe());
        }
    }

    @Test
    void packFillsNodeZerosCpuThenNodeOneThenWrapsAround() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "pack-over-two-nodes.properties", machine)).args("--devices", "3"))) {
            assertEquals(List.of(List.of(0), List.of(0), List.of(1)), sorted(workerCpus(engine)), engine.describe());
        }
    }

    @Test
    void cpuListDeviceOverridesTheNode() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "cpu-list-device.properties", machine)).args("--devices", "2"))) {
            assertEquals(List.of(List.of(1), List.of(1)), workerCpus(engine), engine.describe());
        }
    }

    @Test
    void coreNeverTakesTheSmtSiblingOfAnExclusiveCpuAndSaysSo() {
        SyntheticMachine machine = SyntheticMachine.create("one-core-smt", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "cpu-and-core-on-siblings.properties", machine)).args("--devices", "2"))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            assertEquals(List.of(1), kernel.byTid(out.thread("gpu-worker-0").tid()).cpus(), engine.describe());
            assertEquals(List.of(0), kernel.byTid(out.thread("gpu-worker-1").tid()).cpus(), engine.describe());
            // one of the two found the core taken (whichever started second): it shares instead of leasing a sibling
            long refused = engine.stderrLines().stream().filter(l -> l.contains("no free exclusive")).count();
            assertEquals(1, refused, engine.describe());
        }
    }

    @Test
    void planPredictsTheKernelMasksOfTheRun() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-fast-cpu1", dir);
        Path config = config(dir, "fast-workers.properties", machine);
        List<String> planned;
        try (ChildJvm plan = ChildJvm.builder(dir).jar(agentJar()).args("plan", config.toString(),
                "--threads", "gpu-worker-0,gpu-worker-1").start()) {
            assertEquals(0, plan.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), plan.describe());
            planned = new ArrayList<>();
            Matcher m = Pattern.compile("'gpu-worker-\\d': rule gpu, device gpu:0, node 0, cpus ([0-9,-]+),").matcher(plan.stdout());
            while (m.find()) {
                planned.add(m.group(1));
            }
            assertEquals(List.of("1", "0"), planned, plan.describe());
        }
        try (ChildJvm engine = startHeld(underAgent(dir, config).args("--devices", "2"))) {
            List<String> ran = new ArrayList<>(workerCpus(engine).stream().map(CpuChoicesPlacementTest::list).toList());
            planned.sort(null);
            ran.sort(null);
            assertEquals(planned, ran, engine.describe());
        }
    }

    private static String list(List<Integer> cpus) {
        return cpus.size() == 2 && cpus.get(1) == cpus.get(0) + 1 ? cpus.get(0) + "-" + cpus.get(1)
                : String.join(",", cpus.stream().map(String::valueOf).toList());
    }

    private static Map<List<Integer>, EngineOutput.Line> workersByCpus(ChildJvm engine) {
        ProcThreads kernel = ProcThreads.of(engine.pid());
        Map<List<Integer>, EngineOutput.Line> map = new HashMap<>();
        EngineOutput.of(engine).workers().forEach(w -> map.put(kernel.byTid(w.tid()).cpus(), w));
        return map;
    }

    private static List<List<Integer>> sorted(List<List<Integer>> cpus) {
        List<List<Integer>> s = new ArrayList<>(cpus);
        s.sort(Comparator.comparing((List<Integer> c) -> c.size()).thenComparing(c -> c.get(0)));
        return s;
    }
}
