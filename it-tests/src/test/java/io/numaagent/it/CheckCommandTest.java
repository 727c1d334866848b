package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar numa-agent.jar check PID} against a live sample engine on this host (real /sys,
 * one node): what an operator runs on a live engine.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void checkOfAnEngineUnderTheAgentFindsItsConfigOnTheCommandLineAndExitsZero() throws IOException {
        Path config = AgentConfig.fromResource("check-node0.properties").writeTo(dir.resolve("check-node0.properties"));
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), config.toString()).args("--devices", "2"));
             ChildJvm check = check(engine.pid(), "--json")) {
            assertEquals(0, check.awaitExit(Duration.ofSeconds(60)), check.describe());
            JsonNode json = new ObjectMapper().readTree(check.stdout());
            assertEquals(config.toString(), json.get("config").get("file").asText(), check.describe());
            EngineOutput out = EngineOutput.of(engine);
            for (String worker : new String[] {"gpu-worker-0", "gpu-worker-1"}) {
                JsonNode t = thread(json, out.thread(worker).tid(), check);
                assertEquals("ok", t.get("status").asText(), check.describe());
                assertEquals(out.thread(worker).get("cpus"), t.get("cpus").asText(), check.describe());
                assertEquals("preferred", t.get("memory_mode").asText(), check.describe());
                assertEquals("0", t.get("memory_nodes").asText(), check.describe());
            }
            assertEquals("default", thread(json, out.thread("io-0").tid(), check).get("memory_mode").asText(), check.describe());
            assertEquals("unmatched", thread(json, out.thread("io-0").tid(), check).get("status").asText(), check.describe());
        }
    }

    @Test
    void checkAgainstAnotherConfigReportsTheMismatchAndTruncatedNamesAndExitsOne() throws IOException {
        Path config = AgentConfig.fromResource("check-node0.properties").writeTo(dir.resolve("check-node0.properties"));
        Path other = AgentConfig.fromResource("check-bind-instead.properties").writeTo(dir.resolve("bind.properties"));
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), config.toString()).args("--devices", "1"));
             ChildJvm check = check(engine.pid(), "--config", other.toString())) {
            assertEquals(1, check.awaitExit(Duration.ofSeconds(60)), check.describe());
            String text = check.stdout();
            assertTrue(text.contains("memory policy is preferred 0, the rule says bind 0"), check.describe());
            assertTrue(text.contains("gpu (device node:0, cpus node, memory bind): 1 matched, 0 ok, 1 NOT as the rule says"), check.describe());
            assertTrue(text.matches("(?s).*ForkJoinPool\\.co .*fj -> node:0: possible.*"), check.describe());
        }
    }

    @Test
    void checkOfAJvmWithoutTheAgentAndNoConfigIsBadInput() {
        try (ChildJvm check = check(ProcessHandle.current().pid())) {
            assertEquals(2, check.awaitExit(Duration.ofSeconds(60)), check.describe());
            assertTrue(check.stderr().contains("--config FILE"), check.describe());
        }
    }

    @Test
    void checkOfAProcessThatDoesNotExistIsBadInput() {
        try (ChildJvm check = check(999_999_999L)) {
            assertEquals(2, check.awaitExit(Duration.ofSeconds(60)), check.describe());
            assertTrue(check.stderr().contains("no process 999999999"), check.describe());
        }
    }

    private ChildJvm check(long pid, String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "check";
        args[1] = Long.toString(pid);
        System.arraycopy(more, 0, args, 2, more.length);
        return ChildJvm.builder(dir).name("check-" + System.nanoTime()).jar(agentJar()).args(args).start();
    }

    private static JsonNode thread(JsonNode json, long tid, ChildJvm check) {
        for (JsonNode t : json.get("threads")) {
            if (t.get("tid").asLong() == tid) {
                return t;
            }
        }
        throw new AssertionError("check lists no thread " + tid + "\n" + check.describe());
    }
}
