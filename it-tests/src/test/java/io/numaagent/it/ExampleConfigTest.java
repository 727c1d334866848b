package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** examples/sample-engine.properties does on this real host what its comments promise. */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExampleConfigTest {

    @TempDir
    Path dir;

    @Test
    void exampleGivesEachWorkerACpuOfNodeZeroOfItsOwn() {
        Path example = ChildJvm.builtFile("numa.example.config");
        // the promise is made for a host whose node 0 has (at least) CPUs 0 and 1
        List<Integer> node0 = CpuList.parse(read("/sys/devices/system/node/node0/cpulist"));
        assumeTrue(node0.size() >= 2 && SampleEngineProcess.hostCpus().containsAll(node0.subList(0, 2)),
                "needs two CPUs of node 0");
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), example.toString()).args("--devices", "2"))) {
            ProcThreads kernel = ProcThreads.of(engine.pid());
            Set<List<Integer>> cpus = Set.copyOf(EngineOutput.of(engine).workers().stream()
                    .map(w -> kernel.byTid(w.tid()).cpus()).toList());
            assertEquals(2, cpus.size(), engine.describe());
            for (List<Integer> workerCpus : cpus) {
                assertEquals(1, workerCpus.size(), engine.describe());
                assertTrue(node0.contains(workerCpus.get(0)), engine.describe());
            }
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
