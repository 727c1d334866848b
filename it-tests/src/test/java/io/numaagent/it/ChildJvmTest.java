package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChildJvmTest {

    @TempDir
    Path dir;

    @Test
    void awaitLineFailsWithTheChildsOutputWhenTheLineNeverComes() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "1"))) {
            long start = System.nanoTime();
            AssertionError failure = assertThrows(AssertionError.class,
                    () -> child.awaitLine("NO SUCH LINE", Duration.ofSeconds(1)));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMillis >= 1000 && waitedMillis < 10_000, "waited " + waitedMillis + " ms");
            assertTrue(failure.getMessage().contains("within PT1S"), failure.getMessage());
            assertTrue(failure.getMessage().contains("READY pid=" + child.pid()), failure.getMessage());
        }
    }

    @Test
    void awaitLineFailsAtOnceWhenTheChildExitsWithoutTheLine() {
        try (ChildJvm child = engine(dir).args("--no-such-option").start()) {
            long start = System.nanoTime();
            AssertionError failure = assertThrows(AssertionError.class,
                    () -> child.awaitLine("READY", Duration.ofMinutes(2)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "waited for the timeout");
            assertTrue(failure.getMessage().contains("exited with 2"), failure.getMessage());
            assertTrue(failure.getMessage().contains("unknown option '--no-such-option'"), failure.getMessage());
        }
    }

    @Test
    void closingStdinLetsAHeldEngineFinish() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "1"))) {
            assertTrue(child.isAlive(), "a held engine waits for stdin");
            child.closeStdin();
            assertEquals(0, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), child.describe());
            assertTrue(child.stdoutLines().contains("done exit=0"), child.describe());
        }
    }

    @Test
    void aLineOnStdinAlsoEndsTheHold() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "1"))) {
            child.sendLine("go");
            assertEquals(0, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), child.describe());
        }
    }

    @Test
    void closeKillsAChildThatIsStillRunning() {
        ChildJvm child = startHeld(engine(dir).args("--devices", "1"));
        Optional<ProcessHandle> handle = ProcessHandle.of(child.pid());
        assertTrue(handle.isPresent() && handle.get().isAlive());
        child.close();
        assertFalse(handle.get().isAlive(), "the child survived close()");
    }

    @Test
    void environmentReachesTheChild() {
        try (ChildJvm child = engine(dir).env("JAVA_TOOL_OPTIONS", "-Dnuma.it.marker=42").args("--devices", "1").start()) {
            assertEquals(0, child.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), child.describe());
            assertTrue(child.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -Dnuma.it.marker=42"), child.describe());
        }
    }

    @Test
    void childRunsTheJavaOfTheTestJvm() {
        try (ChildJvm child = engine(dir).args("--devices", "1").start()) {
            String start = child.awaitLine("engine ", SampleEngineProcess.READY_TIMEOUT);
            assertTrue(start.contains(" java=" + Runtime.version() + " "), start);
            assertEquals(ChildJvm.javaExecutable().toString(), child.command().get(0));
        }
    }
}
