package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thread churn under the agent ({@link ChurnMain} in a child JVM): a recycling pool whose threads take
 * and give back exclusive CPUs, 64 threads started at one instant, renamed threads. No exclusive CPU
 * leaks (the agent's report at exit and the lock directory), no exception reaches an engine thread,
 * and the heap after GC does not grow between the checkpoint and the end.
 *
 * <p>Starts: {@code -Dnuma.it.churn.starts} (default 100 000; measured below 2 minutes on 2 shared
 * CPUs, see README's Troubleshooting).
 */
@Tag("agent")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ThreadChurnTest {

    static final int STARTS = Integer.getInteger("numa.it.churn.starts", 100_000);
    static final int CHECKPOINT = Math.max(1, STARTS / 10);
    /** Allowed growth of used heap after GC between the checkpoint and the end: far below a leak of 1 entry per start. */
    static final long HEAP_GROWTH_BOUND = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void recycledThreadsBurstsAndRenamesLeakNoCpuNoLockFileNoHeapAndNoException() throws Exception {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        Path locks = dir.resolve("locks");
        Path config = AgentConfig.fromResource("churn-own-cpu.properties").on(machine, locks).writeTo(dir.resolve("churn.properties"));
        ChildJvm.Builder builder = ChildJvm.builder(dir).name("churn")
                .jvmArgs("-XX:+UseSerialGC", "-Xmx256m", "-Dnuma-agent.report-at-exit=true")
                .javaagent(agentJar(), config.toString())
                .mainClass(testClasses().toString(), ChurnMain.class.getName())
                .args(Integer.toString(STARTS), Integer.toString(CHECKPOINT));
        try (ChildJvm child = builder.start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(4)), child.describe());
            Map<String, String> out = child.stdoutLines().stream().filter(l -> l.contains("="))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> a + "|" + b));
            assertTrue(child.stdoutLines().contains("DONE"), child.describe());
            assertEquals("0", out.get("uncaught"), child.describe());
            assertTrue(Integer.parseInt(out.get("starts")) >= STARTS, child.describe());
            assertEquals("64", out.get("burst"));
            // the agent did pin the pool's threads: most sampled tasks ran on a CPU of their own
            int samples = Integer.parseInt(out.get("samples"));
            assertTrue(samples > 0 && Integer.parseInt(out.get("samples-on-one-cpu")) * 2 > samples, child.describe().lines().limit(40)
                    .collect(Collectors.joining("\n")));
            assertEquals("renamed-by-main", out.get("renamed"));

            assertTrue(child.stderrLines().contains("numa-agent at exit: 0 exclusive CPU(s) leased, 0 thread(s) pinned"),
                    tail(child.stderrLines()));
            assertEquals(List.of(), lockFiles(locks));
            List<String> failures = child.stderrLines().stream()
                    .filter(l -> l.contains("unexpected") || l.contains("left unpinned") || l.contains("Exception")).toList();
            assertEquals(List.of(), failures.stream().limit(5).toList(), "agent failures: " + failures.size());

            long atCheckpoint = Long.parseLong(out.get("heap-checkpoint").split(" ")[0]);
            long atEnd = Long.parseLong(out.get("heap-end"));
            assertTrue(atEnd - atCheckpoint < HEAP_GROWTH_BOUND, "used heap after GC " + atCheckpoint + " at " + CHECKPOINT
                    + " starts, " + atEnd + " at the end");
            System.out.println("churn: " + out + ", agent stderr lines: " + child.stderrLines().size());
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static List<String> lockFiles(Path locks) throws IOException {
        if (!Files.isDirectory(locks)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(locks)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cpu-")).toList();
        }
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(ChurnMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
