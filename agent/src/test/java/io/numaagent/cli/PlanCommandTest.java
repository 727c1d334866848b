package io.numaagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code plan} on plan/engine.properties against the memory-only-nodes tree (see the file's comment). */
class PlanCommandTest {

    private static final String CONFIG = "src/test/resources/plan/engine.properties";
    private static final String ROOT = "src/test/resources/sysfs/memory-only-nodes";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PlanCommand.run(args, Map.of(), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode json(String... threads) throws Exception {
        List<String> args = new ArrayList<>(List.of(CONFIG, "--root", ROOT, "--json"));
        if (threads.length > 0) {
            args.add("--threads");
            args.add(String.join(",", threads));
        }
        run(args.toArray(new String[0]));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode named(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + array);
    }

    @Test
    void threadGetsItsRuleDeviceNodeCpusAndMemoryFromTheTemplatedDevice() throws Exception {
        JsonNode t = named(json("gpu-worker-1").path("threads"), "gpu-worker-1");
        assertEquals("gpu", t.path("rule").asText());
        assertEquals("node:1", t.path("device").asText());
        assertEquals(1, t.path("node").asInt());
        assertEquals("2-3", t.path("cpus").asText());
        assertEquals("preferred 1", t.path("memory").asText());
    }

    @Test
    void spreadThreadsGoRoundRobinOverTheNodesInTheOrderGiven() throws Exception {
        JsonNode threads = json("shard-0", "shard-1", "shard-2").path("threads");
        assertEquals(List.of("0-1", "2-3", "0-1"), List.of(threads.get(0).path("cpus").asText(),
                threads.get(1).path("cpus").asText(), threads.get(2).path("cpus").asText()));
        assertEquals("preferred 1", threads.get(1).path("memory").asText());
    }

    @Test
    void memoryOnlyNodeDeviceExplainsItsNearCpus() throws Exception {
        JsonNode far = named(json().path("rules"), "far");
        assertEquals(3, far.path("node").asInt());
        assertEquals("0-1", far.path("device_cpus").asText());
        assertTrue(far.path("why").asText().contains("no CPU this process may use; using its near CPUs 0-1"), far.toString());
        assertEquals("bind 3", far.path("memory").asText());
    }

    @Test
    void classRuleIsReportedAsUndecidableFromAName() throws Exception {
        JsonNode doc = json("io-0");
        assertTrue(named(doc.path("rules"), "poller").path("match_needs_class").asBoolean());
        JsonNode io = named(doc.path("threads"), "io-0");
        assertTrue(io.path("rule").isNull());
        assertEquals("poller", io.path("undecided_rules").get(0).asText());
        assertTrue(io.path("notes").get(0).asText().contains("cannot settle"), io.toString());
    }

    @Test
    void everyWarningOfTheRealRunIsListedAndTheExitCodeSaysSo() throws Exception {
        assertEquals(1, run(CONFIG, "--root", ROOT, "--threads", "gpu-worker-7"));
        String text = out.toString(StandardCharsets.UTF_8);
        // a config problem, a machine problem, a topology note, and a thread left unpinned
        assertTrue(text.contains("rule.typo.thread-nme = 'typo' is not a known key"), text);
        assertTrue(text.contains("rule.wide.device = 'cpus:0-7'") && text.contains("CPUs 4-7 of cpus:0-7 are not CPUs this process may use"), text);
        assertTrue(text.contains("topology note: node 3 has memory but no CPUs"), text);
        assertTrue(text.contains("'gpu-worker-7': rule gpu, device node:7: left unpinned"), text);
        assertTrue(text.contains("IGNORED"), text);
    }

    @Test
    void cleanConfigurationExitsZero() {
        assertEquals(0, run("src/test/resources/config/cpu-choices.properties", "--root", "src/test/resources/sysfs/xeon-6776p-pct",
                "--threads", "fast-0"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("'fast-0': rule fast, device node:0, node 0, cpus 0,4,8,12"), text);
    }

    @Test
    void missingConfigurationIsAUsageError() {
        assertEquals(Cli.USAGE, run("--root", ROOT));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no configuration file given"));
    }

    @Test
    void cliDispatchesPlan() {
        int code = Cli.run(new String[] {"plan", CONFIG, "--root", ROOT}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("rules (tried in this order"));
    }
}
