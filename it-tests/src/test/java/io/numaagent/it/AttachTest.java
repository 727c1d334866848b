package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loaded into a running JVM (agentmain): no {@code -javaagent} on the command line, so
 * premain's command-line lookup of the jar finds nothing and the class path is asked; a thread
 * started afterwards is pinned, and the operator is told that threads already running are not.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AttachTest {

    @TempDir
    Path dir;

    @Test
    void agentAttachedToARunningJvmPinsTheThreadsStartedAfterwards() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = AgentConfig.fromResource("attached-worker-node1.properties").on(machine, dir.resolve("locks"))
                .writeTo(dir.resolve("agent.properties"));
        try (ChildJvm engine = ChildJvm.builder(dir).name("attach-self")
                .jvmArgs("-Djdk.attach.allowAttachSelf=true")
                .mainClass(System.getProperty("java.class.path"), AttachSelfMain.class.getName())
                .args(agentJar().toString(), config.toString())
                .start()) {
            assertEquals(0, engine.awaitExit(Duration.ofSeconds(90)), engine.describe());
            assertTrue(engine.stdout().contains("worker name=attached-worker-0 cpus=1"), "node 1 of the two-node machine is CPU 1\n"
                    + engine.describe());
            String err = engine.stderr();
            assertTrue(err.contains("pinned thread 'attached-worker-0'") && err.contains("confirmed by the kernel"), engine.describe());
            assertTrue(err.contains("attached to a running JVM: threads already running are not pinned"), engine.describe());
        }
    }
}
