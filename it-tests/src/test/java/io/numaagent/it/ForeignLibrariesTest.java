package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isolation: an engine with its own Byte Buddy, JNA, SLF4J and OpenHFT (older versions than the
 * agent's) runs unchanged under the agent, uses its own copies, and its worker is still pinned.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForeignLibrariesTest {

    @TempDir
    Path dir;

    /** The test class path's entries that the foreign engine needs: its classes and its libraries. */
    static String engineClassPath(String... jarPrefixes) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes")
                        || Arrays.stream(jarPrefixes).anyMatch(p -> Path.of(entry).getFileName().toString().startsWith(p)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void engineWithItsOwnOlderLibrariesRunsUnchangedAndItsWorkerIsPinned() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = AgentConfig.fromResource("foreign-worker-gpu.properties").on(machine, dir.resolve("locks"))
                .writeTo(dir.resolve("agent.properties"));
        String cp = engineClassPath("byte-buddy-1.14.18", "jna-5.13.0", "slf4j-api-1.7.36", "slf4j-simple-1.7.36", "affinity-3.23.3");
        try (ChildJvm engine = ChildJvm.builder(dir).name("foreign-engine")
                .javaagent(agentJar(), config.toString())
                .mainClass(cp, "io.numaagent.it.foreign.ForeignLibrariesEngine")
                .start()) {
            assertEquals(0, engine.awaitExit(Duration.ofSeconds(90)), engine.describe());
            String out = engine.stdout();
            String err = engine.stderr();
            assertTrue(out.contains("versions bytebuddy=byte-buddy-1.14.18.jar jna=jna-5.13.0.jar slf4j=slf4j-api-1.7.36.jar affinity=affinity-3.23.3.jar"),
                    "the engine must load its own copies\n" + engine.describe());
            // gpu:1 of the two-node machine is on node 1 = CPU 1
            assertTrue(out.contains("worker name=foreign-worker-1 class=io.numaagent.it.foreign.GeneratedWorker cpus=1 jna-pid="),
                    "the generated worker must run on gpu:1's node\n" + engine.describe());
            assertTrue(out.contains("openhft-affinity={1}"), "the engine's own OpenHFT sees the pinned mask\n" + engine.describe());
            assertTrue(err.contains("INFO foreign-engine - foreign engine done"), "the engine's own SLF4J 1.7 logs as before\n" + engine.describe());
            assertTrue(err.contains("pinned thread 'foreign-worker-1'") && err.contains("confirmed by the kernel"),
                    "the agent reports the pin\n" + engine.describe());
        }
    }
}
