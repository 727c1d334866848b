package io.numaagent.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.numaagent.it.EngineOutput;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The agent on a real 2-node x 2-CPU kernel (one VM boot, {@code two-nodes.sh}), with the real
 * {@code /sys}: what this one-node host cannot show. CPUs and policies are judged three ways: what
 * the engine read inside each thread ({@code sched_getaffinity}, {@code get_mempolicy},
 * {@code move_pages}), a raw /proc dump by the script, and {@code check}.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class TwoNodeVmTest {

    private NumaVm.Result vm;
    private VmEngineRun baseline;
    private VmEngineRun preferred;
    private VmEngineRun interleave;
    private VmEngineRun numactlInterleave;
    private VmEngineRun union;

    @BeforeAll
    void bootOnce() {
        vm = NumaVm.boot("two-nodes", List.of("-c", "2"), "two-nodes.sh",
                "vm-preferred.properties", "vm-interleave.properties", "vm-union-node1.properties");
        baseline = new VmEngineRun(vm, "baseline");
        preferred = new VmEngineRun(vm, "preferred");
        interleave = new VmEngineRun(vm, "interleave");
        numactlInterleave = new VmEngineRun(vm, "numactl-interleave");
        union = new VmEngineRun(vm, "union");
        System.out.println("page placement per worker (" + vm.took().toSeconds() + " s in the VM):");
        for (VmEngineRun run : List.of(baseline, preferred, interleave, numactlInterleave)) {
            try {
                System.out.println("  " + run.pagesLine());
            } catch (AssertionError | RuntimeException e) {
                System.out.println("  (no result: " + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
    }

    @Test
    void theVmScriptRanToTheEnd() {
        assertEquals(0, vm.exitCode(), vm.describe());
        assertTrue(vm.console().contains("end"), vm.describe());
        for (String run : List.of("baseline", "preferred", "interleave", "numactl-interleave", "union")) {
            assertEquals("0", new VmEngineRun(vm, run).exitCode(), run + "\n" + vm.describe());
        }
    }

    @Test
    void withoutTheAgentWorkersRunEverywhereWithTheDefaultPolicy() {
        for (String worker : List.of("gpu-worker-0", "gpu-worker-1")) {
            EngineOutput.Line line = baseline.engine().thread(worker);
            assertEquals("0-3", line.get("cpus"), vm.describe());
            assertEquals("default", line.get("mempolicy"), vm.describe());
        }
    }

    @Test
    void eachWorkersMaskIsExactlyItsNodesCpus() {
        Map<Long, List<String>> proc = preferred.proc();
        assertWorker(preferred, "gpu-worker-0", "0-1", proc);
        assertWorker(preferred, "gpu-worker-1", "2-3", proc);
    }

    @Test
    void eachWorkersMemoryPolicyIsPreferredOnItsNode() {
        Map<Long, List<String>> proc = preferred.proc();
        for (int n = 0; n < 2; n++) {
            EngineOutput.Line w = preferred.engine().thread("gpu-worker-" + n);
            assertEquals("preferred:" + n, w.get("mempolicy"), vm.describe());
            // the kernel's own words in the thread's numa_maps: "prefer:N"
            assertEquals("prefer:" + n, proc.get(w.tid()).get(2), vm.describe());
        }
    }

    @Test
    void atLeast99PercentOfTheBufferPagesOfEachWorkerSitOnItsNode() {
        for (int n = 0; n < 2; n++) {
            double share = preferred.shareOn("gpu-worker-" + n, n);
            assertTrue(share >= 0.99, "gpu-worker-" + n + ": " + share + " of its pages on node " + n + "\n" + vm.describe());
        }
    }

    @Test
    void interleaveOverTheDevicesNodeKeepsEveryPageOnThatNode() {
        // device node:N has one memory node, so the interleave set is {N}: see the report on Planner
        for (int n = 0; n < 2; n++) {
            String worker = "gpu-worker-" + n;
            assertEquals("interleave:" + n, interleave.engine().thread(worker).get("mempolicy"), vm.describe());
            assertTrue(interleave.shareOn(worker, n) >= 0.99, worker + ": " + interleave.workerPages(worker) + "\n" + vm.describe());
        }
    }

    @Test
    void interleaveOverBothNodesSpreadsTheBufferEvenly() {
        // the reference for "even", set by numactl: what the engine's page count sees of a two-node interleave
        for (String worker : List.of("gpu-worker-0", "gpu-worker-1")) {
            assertEquals("interleave:0-1", numactlInterleave.engine().thread(worker).get("mempolicy"), vm.describe());
            double share = numactlInterleave.shareOn(worker, 0);
            assertTrue(share > 0.45 && share < 0.55, worker + ": " + numactlInterleave.workerPages(worker) + "\n" + vm.describe());
        }
    }

    @Test
    void checkFindsEveryWorkerPlacedAsItsRuleSaysAndExitsZero() {
        assertEquals("0", preferred.checkExitCode(), vm.describe());
        assertEquals("0", vm.read("preferred.check-json.rc").strip(), vm.describe());
        JsonNode json = preferred.checkJson();
        assertTrue(json.get("matches").asBoolean(), vm.describe());
        JsonNode rule = json.get("rules").get(0);
        assertEquals("gpu", rule.get("name").asText());
        assertEquals(2, rule.get("matched").asInt(), vm.describe());
        assertEquals(2, rule.get("ok").asInt(), vm.describe());
        for (int n = 0; n < 2; n++) {
            JsonNode t = preferred.checkedThread(preferred.engine().thread("gpu-worker-" + n).tid());
            assertEquals("ok", t.get("status").asText(), vm.describe());
            assertEquals("node:" + n, t.get("device").asText(), vm.describe());
        }
        assertTrue(preferred.checkText().contains("gpu (device node:$1, cpus node, memory preferred): 2 matched, 2 ok"),
                vm.describe());
    }

    @Test
    void checkReadsEveryThreadsCpusAndPolicyAsTheThreadItselfDoes() {
        // the engine read its own threads from inside (sched_getaffinity, get_mempolicy); check reads /proc
        for (EngineOutput.Line line : preferred.engine().threadsNamedLike(".*")) {
            JsonNode t = preferred.checkedThread(line.tid());
            assertEquals(line.get("cpus"), t.get("cpus").asText(), line.name() + "\n" + vm.describe());
            String policy = t.get("memory_mode").asText() + (t.get("memory_nodes").asText().isEmpty() ? "" : ":" + t.get("memory_nodes").asText());
            assertEquals(line.get("mempolicy"), policy, line.name() + "\n" + vm.describe());
        }
    }

    @Test
    void processCpusUnionMovesMainGcAndEveryOtherThreadToTheWorkersNode() {
        Map<Long, List<String>> proc = union.proc();
        assertWorker(union, "gpu-worker-0", "2-3", proc);
        assertWorker(union, "gpu-worker-1", "2-3", proc);
        assertEquals("bind:1", proc.get(union.engine().thread("gpu-worker-0").tid()).get(2), vm.describe());
        List<String> names = proc.values().stream().map(v -> v.get(0)).toList();
        // main's comm stays "java" (the JVM does not name it natively); found by the tid the engine printed
        assertTrue(proc.containsKey(union.engine().thread("main").tid()), vm.describe());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("GC Thread")), names + "\n" + vm.describe());
        for (List<String> task : proc.values()) {
            assertEquals("2-3", task.get(1), task.get(0) + " is not on node 1's CPUs\n" + vm.describe());
        }
        assertEquals("0", union.checkExitCode(), vm.describe());
        JsonNode processCpus = union.checkJson().get("process_cpus");
        assertEquals("2-3", processCpus.get("union").asText(), vm.describe());
        assertTrue(processCpus.get("ok").asBoolean(), vm.describe());
    }

    private void assertWorker(VmEngineRun run, String worker, String cpus, Map<Long, List<String>> proc) {
        EngineOutput.Line line = run.engine().thread(worker);
        assertEquals(cpus, line.get("cpus"), worker + "\n" + vm.describe());
        List<String> task = proc.get(line.tid());
        assertEquals(worker, task == null ? null : task.get(0), vm.describe());
        assertEquals(cpus, task.get(1), worker + " in /proc\n" + vm.describe());
    }
}
