package io.numaagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.numaagent.check.ProcFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on the copy of the VM's /proc (ProcFixture), with the config the engine ran under
 * found through its command line and cwd, and the machine read from the {@code memory-only-nodes}
 * sysfs fixture, whose nodes 0 and 1 have CPUs 0-1 and 2-3 as the VM's.
 */
class CheckCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckCommand.run(args, Path.of("/proc"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private ProcFixture engineWithConfig(String memory) throws IOException, URISyntaxException {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path sysfs = Path.of(CheckCommandTest.class.getResource("/sysfs/memory-only-nodes").toURI());
        Files.writeString(cwd.resolve("vm-preferred.properties"), String.join("\n",
                "rule.gpu.thread-name = gpu-worker-(\\d+)", "rule.gpu.device = node:$1", "rule.gpu.memory = " + memory,
                "sysfs.root = " + sysfs, ""));
        return ProcFixture.copy(ProcFixture.TWO_NODE_ENGINE, dir, cwd);
    }

    @Test
    void workersPlacedAsTheirRuleSaysExitZero() throws Exception {
        ProcFixture proc = engineWithConfig("preferred");
        assertEquals(0, run(Integer.toString(proc.pid()), "--proc", proc.root().toString(), "--json"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(json.get("matches").asBoolean());
        assertEquals(2, json.get("rules").get(0).get("ok").asInt(), out.toString());
        assertTrue(json.get("config").get("file").asText().endsWith("cwd/vm-preferred.properties"));
    }

    @Test
    void aRuleTheKernelStateDoesNotMatchExitsOneAndSaysWhy() throws Exception {
        ProcFixture proc = engineWithConfig("bind");
        assertEquals(CheckCommand.MISMATCH, run(Integer.toString(proc.pid()), "--proc", proc.root().toString()), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gpu-worker-1 tid"), text);
        assertTrue(text.contains("memory policy is preferred 1, the rule says bind 1"), text);
        assertTrue(text.contains("result: some threads are NOT placed as their rule says"), text);
    }

    @Test
    void anUnreadableConfigOnTheCommandLineIsBadInput() throws Exception {
        ProcFixture proc = ProcFixture.copy(ProcFixture.TWO_NODE_ENGINE, dir, dir.resolve("nowhere"));
        assertEquals(Cli.USAGE, run(Integer.toString(proc.pid()), "--proc", proc.root().toString()));
        assertTrue(err.toString().contains("nowhere/vm-preferred.properties cannot be read"), err.toString());
    }

    @Test
    void noPidIsBadInput() {
        assertEquals(Cli.USAGE, run("--json"));
        assertTrue(err.toString().contains("usage: " + CheckCommand.USAGE), err.toString());
    }
}
