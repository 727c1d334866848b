package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.hostCpus;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration end to end. strict = true: the JVM exits before the engine's main with exactly one
 * line naming the file, line, key, value and what is valid. Lenient: the bad rule is skipped with one
 * warning and the engine runs with the rest.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailSafeConfigTest {

    private static final String STRICT_SUFFIX = "(strict = true: the JVM stops)";

    @TempDir
    Path dir;

    /** Runs the engine under the agent, expects it to stop before main, returns the one strict line. */
    private String strictLine(String agentOptions, String... jvmArgs) {
        try (ChildJvm engine = engine(dir).jvmArgs(jvmArgs).javaagent(agentJar(), agentOptions).start()) {
            assertNotEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
            assertFalse(engine.stdout().contains("engine pid="), "main ran\n" + engine.describe());
            List<String> lines = engine.stderrLines().stream().filter(l -> l.endsWith(STRICT_SUFFIX)).toList();
            assertEquals(1, lines.size(), engine.describe());
            assertEquals(1, engine.stderrLines().stream().filter(l -> !l.isBlank()).count(), "only the one line\n" + engine.describe());
            return lines.get(0);
        }
    }

    private Path strictConfig(String fixture) {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        return AgentConfig.fromResource(fixture).on(machine, dir.resolve("locks")).with("strict", true)
                .writeTo(dir.resolve(fixture));
    }

    @Test
    void strictMissingConfigFileStopsTheJvmNamingTheFile() {
        Path missing = dir.resolve("no-such.properties");
        String line = strictLine(missing.toString(), "-Dnuma.agent.strict=true");
        assertTrue(line.contains(missing.toString()), line);
    }

    @Test
    void strictNonUtf8ConfigFileStopsTheJvmAtTheLineOfTheBadByte() throws IOException {
        Path latin1 = dir.resolve("latin1.properties");
        Files.write(latin1, "# caf\u00e9 workers\nrule.io.thread-name = io-\\d+\nrule.io.device = node:0\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        String line = strictLine(latin1.toString(), "-Dnuma.agent.strict=true");
        assertTrue(line.contains(latin1 + ":1"), line);
        assertTrue(line.contains("UTF-8"), line);
    }

    @Test
    void strictDeviceThatDoesNotExistStopsTheJvmListingTheValidDevices() {
        Path config = strictConfig("gpu-absent-and-gpu0.properties");
        String line = strictLine(config.toString());
        assertTrue(line.contains(config + ":3"), line);
        assertTrue(line.contains("rule.ghost.device") && line.contains("gpu:7"), line);
        assertTrue(line.contains("valid: ") && line.contains("gpu:0") && line.contains("gpu:1"), line);
    }

    @Test
    void strictNodeOutOfRangeStopsTheJvmListingTheValidNodes() {
        Path config = strictConfig("node-out-of-range.properties");
        String line = strictLine(config.toString());
        assertTrue(line.contains(config + ":3") && line.contains("rule.io.device") && line.contains("node:5"), line);
        assertTrue(line.contains("node:0, node:1"), line);
    }

    @Test
    void strictCpuListOutsideTheAllowedCpusStopsTheJvmNamingTheValidCpus() {
        Path config = strictConfig("cpus-outside-allowed.properties");
        String line = strictLine(config.toString());
        assertTrue(line.contains(config + ":3") && line.contains("rule.io.device") && line.contains("cpus:1-3"), line);
        assertTrue(line.contains("CPUs 2-3 of cpus:1-3 are not CPUs this process may use"), line);
        assertTrue(line.contains("valid: CPUs this process may use, 0-1"), line);
    }

    @Test
    void lenientDeviceThatDoesNotExistSkipsOnlyItsRuleAndTheEngineRuns() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = AgentConfig.fromResource("gpu-absent-and-gpu0.properties").on(machine, dir.resolve("locks"))
                .writeTo(dir.resolve("lenient.properties"));
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), config.toString()).args("--devices", "2"))) {
            List<String> naming = engine.stderrLines().stream().filter(l -> l.contains("gpu:7")).toList();
            assertEquals(1, naming.size(), engine.describe());
            assertTrue(naming.get(0).contains("rule.ghost.device") && naming.get(0).contains("this rule is ignored"), naming.get(0));
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            assertEquals(List.of(0), kernel.byTid(out.thread("gpu-worker-0").tid()).cpus(), engine.describe());
            assertEquals(List.of(1), kernel.byTid(out.thread("gpu-worker-1").tid()).cpus(), engine.describe());
            assertEquals(hostCpus(), kernel.byTid(out.thread("io-0").tid()).cpus(), engine.describe());
            engine.closeStdin();
            assertEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
        }
    }
}
