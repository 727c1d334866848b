package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample engine on its own: the baseline the agent tests compare against. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SampleEngineTest {

    @TempDir
    Path dir;

    @Test
    void reportsEveryKindOfThreadOnTheProcessMaskWithoutAnAgent() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "2", "--io-threads", "2"))) {
            EngineOutput out = EngineOutput.of(child);
            ProcThreads kernel = ProcThreads.of(child.pid());
            String processMask = ProcThreads.processCpus(child.pid());
            List<String> names = List.of("gpu-worker-0", "gpu-worker-1", "gpu-helper-0", "gpu-helper-1",
                    "io-0", "io-1", "storage-0", "main");
            for (String name : names) {
                EngineOutput.Line line = out.thread(name);
                assertEquals(processMask, line.get("cpus"), line.toString());
                assertEquals(processMask, kernel.byTid(line.tid()).cpusAllowedList(), line.toString());
                assertEquals("default", line.get("mempolicy"), line.toString());
            }
            assertEquals(1, out.threadsNamedLike("ForkJoinPool\\.commonPool-worker-\\d+").size());
        }
    }

    @Test
    void workersFindTheirPagesWithMovePagesOnTheNodesTheProcessMayUse() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "2"))) {
            List<Integer> allowedNodes = CpuList.parse(ProcThreads.of(child.pid()).threads().get(0).memsAllowedList());
            long bufferPages = Long.parseLong(SampleEngineProcess.BUFFER_MIB) * (1 << 20) / 4096;
            for (EngineOutput.Line worker : EngineOutput.of(child).workers()) {
                assertEquals("move_pages", worker.get("pagesource"), worker.toString());
                long placed = 0;
                for (String entry : worker.get("pages").split(",")) {
                    String[] nodeAndCount = entry.split(":");
                    assertTrue(nodeAndCount[0].matches("N\\d+"), "unplaced pages in " + worker);
                    assertTrue(allowedNodes.contains(Integer.parseInt(nodeAndCount[0].substring(1))), worker.toString());
                    placed += Long.parseLong(nodeAndCount[1]);
                }
                // an unaligned buffer spans one page more
                assertTrue(placed == bufferPages || placed == bufferPages + 1, placed + " pages in " + worker);
                assertTrue(Double.parseDouble(worker.get("gbps")) > 0, worker.toString());
            }
        }
    }

    @Test
    void numaMapsFallbackFindsTheSameNodesAsMovePages() {
        Set<String> viaMovePages = workerNodes("move_pages");
        Set<String> viaNumaMaps = workerNodes("numa_maps");
        assertEquals(viaMovePages, viaNumaMaps);
    }

    @ParameterizedTest
    @CsvSource({"--preferred=0, preferred:0", "--membind=0, bind:0", "--interleave=0, interleave:0"})
    void reportsTheMemoryPolicyNumactlGaveIt(String numactlOption, String expectedPolicy) {
        // numactl sets the policy and execs java; every thread inherits it (CI installs numactl)
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/numactl")), "needs numactl");
        try (ChildJvm child = engine(dir).launcherPrefix("/usr/bin/numactl", numactlOption)
                .args("--devices", "1", "--io-threads", "1").start()) {
            assertEquals(0, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), child.describe());
            EngineOutput out = EngineOutput.of(child);
            assertEquals(expectedPolicy, out.thread("gpu-worker-0").get("mempolicy"), child.describe());
            assertEquals(expectedPolicy, out.thread("main").get("mempolicy"), child.describe());
        }
    }

    @Test
    void engineUsesItsOwnJnaNotTheAgents() {
        try (ChildJvm child = engine(dir).args("--devices", "1").start()) {
            String start = child.awaitLine("engine ", SampleEngineProcess.READY_TIMEOUT);
            assertTrue(start.contains("pagesource=move_pages(jna 5.14.0)"), start);
        }
    }

    @Test
    void badOptionExitsWithUsageAndCodeTwo() {
        try (ChildJvm child = engine(dir).args("--devices", "zero").start()) {
            assertEquals(2, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT));
            assertTrue(child.stderr().contains("--devices 'zero' is not valid: expected a positive integer"), child.describe());
        }
    }

    private Set<String> workerNodes(String source) {
        try (ChildJvm child = engine(dir).name(source).args("--devices", "1", "--page-source", source).start()) {
            assertEquals(0, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), child.describe());
            EngineOutput.Line worker = EngineOutput.of(child).thread("gpu-worker-0");
            assertEquals(source, worker.get("pagesource"));
            Set<String> nodes = new TreeSet<>();
            for (String entry : worker.get("pages").split(",")) {
                nodes.add(entry.substring(0, entry.indexOf(':')));
            }
            return nodes;
        }
    }
}
