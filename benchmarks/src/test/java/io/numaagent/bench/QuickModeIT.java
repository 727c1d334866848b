package io.numaagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's quick mode, end to end, as a user runs it: every benchmark and variant must run and
 * parse and the table must be printed. Numbers are not checked (a benchmark is not a test). Runs in
 * {@code mvn verify} after the agent, the sample engine and this module are packaged; without the agent
 * jar it fails (never skips): a benchmark module that silently measures nothing is worse than none.
 */
class QuickModeIT {

    private static Path jar(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            fail("system property " + property + " is not set; run this test through Maven (mvn -pl benchmarks -am verify)");
        }
        return Path.of(value);
    }

    @Test
    void quickModeRunsEveryVariantAndPrintsTheTable() throws IOException, InterruptedException {
        Path agent = jar("numa.agent.jar");
        Path bench = jar("numa.bench.jar");
        Path sample = jar("numa.sample.jar");
        assertTrue(Files.isRegularFile(agent), "numa-agent.jar not found at " + agent
                + ": build the agent first (mvn -B -pl benchmarks -am verify); the benchmarks measure that jar and cannot run without it");
        assertTrue(Files.isRegularFile(sample), "sample-engine.jar not found at " + sample + ": build it first (mvn -B -pl benchmarks -am verify)");
        assertTrue(Files.isRegularFile(bench), "benchmarks.jar not found at " + bench + ": the package phase should have built it");

        Path output = Files.createTempFile("bench-quick", ".out");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", bench.toString(),
                "--quick", "--agent", agent.toString(), "--sample-engine", sample.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the quick mode did not finish within 6 minutes; output so far:\n" + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);

        assertEquals(0, process.exitValue(), "the quick mode reported a variant that did not run or parse:\n" + text);
        assertFalse(text.contains("### FAILED"), text);
        for (String row : List.of("| startup | no agent |", "| startup | empty agent |", "| startup | numa-agent, no rule matches |",
                "| startup | numa-agent, pins 1 thread |", "| threads | no agent |", "| threads | numa-agent, no rule matches |",
                "| threads | pinned to node 0, memory none |", "| threads | pinned to node 0, memory preferred |",
                "| threads | exclusive CPU each (cpus = cpu), memory none |", "| pin | start latency, pinned by the agent |",
                "| pin | start latency, raw JNA pin in run(), agent |", "| classload | no agent |", "| classload | empty agent |",
                "| classload | numa-agent (worker rule) |", "| sample | GB/s per worker, no agent |",
                "| sample | GB/s per worker, numa-agent, examples/sample-engine.properties |")) {
            assertTrue(text.contains(row), "missing row " + row + " in:\n" + text);
        }
        long verdicts = text.lines().filter(l -> l.endsWith("| PASS |") || l.endsWith("| MISS |")
                || l.endsWith("| PASS (within noise) |") || l.endsWith("| MISS (within noise) |")).count();
        assertEquals(7, verdicts, "expected a PASS/MISS line for each of the 7 targets in:\n" + text);
        assertTrue(text.contains("### Machine") && text.contains("CPU: ") && text.contains("JDK (child JVMs): ")
                && text.contains("Kernel: "), "the report must end with the machine it ran on:\n" + text);
    }
}
