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
 * Nodes 0 and 1 with 2 CPUs each, node 2 with memory only ({@code run.sh -c 2,2,0}), node 2 nearer to
 * node 1 than to node 0: a worker whose device is {@code node:2} runs on node 2's near CPUs (node 1's)
 * and allocates on node 2. One VM boot, {@code three-nodes.sh}.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ThreeNodeVmTest {

    /** 1-2 nearer than 0-2, so node 2's near CPUs are node 1's (2-3). */
    static final List<String> TOPOLOGY = List.of("-c", "2,2,0", "-m", "768,768,512", "-d", "0-1=20,0-2=30,1-2=15");

    private NumaVm.Result vm;
    private VmEngineRun three;

    @BeforeAll
    void bootOnce() {
        vm = NumaVm.boot("three-nodes", TOPOLOGY, "three-nodes.sh", "vm-three-nodes.properties");
        three = new VmEngineRun(vm, "three");
        try {
            System.out.println("page placement per worker (" + vm.took().toSeconds() + " s in the VM):\n  " + three.pagesLine());
        } catch (AssertionError | RuntimeException e) {
            System.out.println("(no result: " + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    @Test
    void theVmScriptRanToTheEnd() {
        assertEquals(0, vm.exitCode(), vm.describe());
        assertEquals("0", three.exitCode(), vm.describe());
    }

    @Test
    void theAgentsReportNamesNode2MemoryOnlyWithNode1sCpusNear() {
        String report = vm.read("three.err");
        assertTrue(report.contains("node 2 cpus none (memory only, near 2-3)"), vm.describe());
        assertTrue(vm.read("topology.txt").contains("memory only, near CPUs 2-3"), vm.describe());
    }

    @Test
    void aWorkerOfTheMemoryOnlyNodeRunsOnItsNearCpusWithItsMemoryThere() {
        Map<Long, List<String>> proc = three.proc();
        EngineOutput.Line w = three.engine().thread("gpu-worker-2");
        assertEquals("2-3", w.get("cpus"), vm.describe());
        assertEquals("2-3", proc.get(w.tid()).get(1), vm.describe());
        assertEquals("preferred:2", w.get("mempolicy"), vm.describe());
        assertEquals("prefer:2", proc.get(w.tid()).get(2), vm.describe());
        double share = three.shareOn("gpu-worker-2", 2);
        assertTrue(share >= 0.99, "gpu-worker-2: " + three.workerPages("gpu-worker-2") + "\n" + vm.describe());
    }

    @Test
    void workersOfNodesWithCpusStayOnTheirOwnNodes() {
        assertEquals("0-1", three.engine().thread("gpu-worker-0").get("cpus"), vm.describe());
        assertEquals("2-3", three.engine().thread("gpu-worker-1").get("cpus"), vm.describe());
        assertTrue(three.shareOn("gpu-worker-0", 0) >= 0.99, vm.describe());
        assertTrue(three.shareOn("gpu-worker-1", 1) >= 0.99, vm.describe());
    }

    @Test
    void checkAgreesOnTheMemoryOnlyNode() {
        assertEquals("0", three.checkExitCode(), vm.describe());
        JsonNode t = three.checkedThread(three.engine().thread("gpu-worker-2").tid());
        assertEquals("ok", t.get("status").asText(), vm.describe());
        assertEquals("node:2", t.get("device").asText(), vm.describe());
        assertEquals("2-3", t.get("expected_cpus").asText(), vm.describe());
        assertEquals("preferred", t.get("memory_mode").asText(), vm.describe());
        assertEquals("2", t.get("memory_nodes").asText(), vm.describe());
        assertTrue(three.checkJson().get("bytes_per_node").has("2"), vm.describe());
    }
}
