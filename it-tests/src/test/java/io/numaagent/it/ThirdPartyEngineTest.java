package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.hostCpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine nobody on the project wrote: H2's TCP database server, unchanged, under the agent with a
 * configuration written from the README alone. A real JDBC client (H2's Shell, another JVM) keeps a
 * connection open while the test reads the server's threads from /proc.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThirdPartyEngineTest {

    private static final Pattern PINNED = Pattern.compile("pinned thread '(H2 TCP Server [^']*)' tid (\\d+) .* confirmed by the kernel");

    @TempDir
    Path dir;

    @Test
    void h2ConnectionThreadsRunNearTheNicAndItsOtherThreadsKeepTheProcessCpus() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = AgentConfig.fromResource("h2-connections-node1.properties").on(machine, dir.resolve("locks"))
                .writeTo(dir.resolve("h2.properties"));
        String h2 = ForeignLibrariesTest.engineClassPath("h2-2.3.232");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ChildJvm server = ChildJvm.builder(dir).name("h2-server")
                .javaagent(agentJar(), config.toString())
                .mainClass(h2, "org.h2.tools.Server")
                .args("-tcp", "-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir", dir.resolve("db").toString())
                .start()) {
            server.awaitLine("TCP server running", Duration.ofSeconds(90));
            try (ChildJvm client = ChildJvm.builder(dir).name("h2-shell")
                    .mainClass(h2, "org.h2.tools.Shell")
                    .args("-url", "jdbc:h2:tcp://localhost:" + port + "/mem:numa", "-user", "sa", "-password", "")
                    .start()) {
                client.sendLine("SELECT 40 + 2 AS ANSWER;");
                client.awaitLine("42", Duration.ofSeconds(60));

                Map<Long, String> pinned = awaitPinned(server);
                ProcThreads kernel = ProcThreads.of(server.pid());
                // H2 opens more than one connection thread and some end at once: judge the ones alive.
                List<ThreadState> alive = kernel.threads().stream().filter(t -> pinned.containsKey(t.tid())).toList();
                assertFalse(alive.isEmpty(), "no pinned connection thread is alive while the client is connected\n" + server.describe());
                for (ThreadState connection : alive) {
                    // net:eth9 of the two-node machine is on node 1 = CPU 1
                    assertEquals(List.of(1), connection.cpus(), "connection thread " + pinned.get(connection.tid()) + "\n" + server.describe());
                }
                for (ThreadState other : kernel.threads()) {
                    if (!pinned.containsKey(other.tid())) {
                        assertEquals(hostCpus(), other.cpus(), "unmatched thread " + other + " must keep the process CPUs\n" + server.describe());
                    }
                }
                client.closeStdin();
            }
        }
    }

    /** Every connection thread the agent reported pinned, by tid, once there is at least one. */
    private static Map<Long, String> awaitPinned(ChildJvm server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<Long, String> pinned = new HashMap<>();
            for (String line : server.stderrLines()) {
                Matcher m = PINNED.matcher(line);
                if (m.find()) {
                    pinned.put(Long.parseLong(m.group(2)), m.group(1));
                }
            }
            if (!pinned.isEmpty()) {
                return pinned;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("the agent never reported pinning an H2 connection thread\n" + server.describe());
    }
}
