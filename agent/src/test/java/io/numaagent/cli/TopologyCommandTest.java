package io.numaagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void jsonReportHasCpusNodesDevicesAndNotes() throws Exception {
        assertEquals(0, run("topology", "--root", "src/test/resources/sysfs/pci-devices", "--json"));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("0-3", json.path("cpus").asText());
        assertEquals(1, json.path("nodes").get(1).path("id").asInt());
        assertEquals("2-3", json.path("nodes").get(1).path("cpus").asText());
        assertEquals(1073741824L, json.path("nodes").get(0).path("memory_bytes").asLong());
        assertEquals(20, json.path("nodes").get(0).path("distances").path("1").asInt());
        JsonNode gpu = null;
        for (JsonNode d : json.path("devices")) {
            if (d.path("address").asText().equals("0000:3b:00.0")) {
                gpu = d;
            }
        }
        assertEquals("0x030200", gpu.path("class").asText());
        assertEquals("0x10de", gpu.path("vendor").asText());
        assertEquals(1, gpu.path("node").asInt());
        assertEquals("2-3", gpu.path("cpus").asText());
        assertEquals("gpu:2", gpu.path("names").get(0).asText());
        assertTrue(json.path("notes").isArray() && json.path("notes").size() > 0);
    }

    @Test
    void textReportShowsNodesDevicesAndNotes() {
        assertEquals(0, run("topology", "--root", "src/test/resources/sysfs/cgroup-v1"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("node 1") && text.contains("hidden by the cpuset: CPUs 0") && text.contains("notes:"), text);
    }

    @Test
    void badRootIsOneLineAndUsageExitCode() {
        assertEquals(Cli.USAGE, run("topology", "--root", "/no/such/root"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("/no/such/root") && message.contains("expected"), message);
        assertEquals(1, message.strip().lines().count());
    }

    @Test
    void unknownOptionIsUsageExitCode() {
        assertEquals(Cli.USAGE, run("topology", "--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--frobnicate"));
        assertEquals(Cli.USAGE, run("topology", "--root"));
    }
}
