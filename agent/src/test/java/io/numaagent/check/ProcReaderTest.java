package io.numaagent.check;

import static io.numaagent.check.ProcFixture.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.binding.MemoryPolicyState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcReaderTest {

    @TempDir
    Path dir;

    private ProcessView read() throws CheckException {
        ProcFixture proc = ProcFixture.copy(ProcFixture.TWO_NODE_ENGINE, dir, dir);
        return new ProcReader(proc.root()).read(proc.pid());
    }

    @Test
    void everyThreadHasTheCpusAndMemoryPolicyTheThreadReadItselfFromInside() throws CheckException {
        ProcFixture proc = ProcFixture.copy(ProcFixture.TWO_NODE_ENGINE, dir, dir);
        ProcessView view = new ProcReader(proc.root()).read(proc.pid());
        Map<Integer, TaskView> byTid = view.tasks().stream().collect(Collectors.toMap(TaskView::tid, Function.identity()));
        assertTrue(proc.engineLines().size() >= 8, proc.engineLines().toString());
        for (String line : proc.engineLines()) {
            TaskView task = byTid.get(Integer.parseInt(field(line, "tid")));
            String name = field(line, "name");
            if (name.equals("main")) {
                // the JVM never names the launcher's main thread natively: its comm stays "java"
                name = "java";
            }
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            String comm = bytes.length > 15 ? new String(bytes, 0, 15, StandardCharsets.UTF_8) : name;
            assertEquals(comm, task.comm(), line);
            assertEquals(field(line, "cpus"), task.cpus().toList(), line);
            // the engine prints get_mempolicy as mode[:nodes] with the syscall's names
            MemoryPolicyState policy = task.policy().orElseThrow();
            String asEngine = policy.mode().text() + (policy.nodes().isEmpty() ? "" : ":" + policy.nodes().toList());
            assertEquals(field(line, "mempolicy"), asEngine, line);
        }
    }

    @Test
    void aFifteenByteNameIsPossiblyTruncated() throws CheckException {
        ProcessView view = read();
        TaskView forkJoin = view.tasks().stream().filter(t -> t.comm().startsWith("ForkJoinPool")).findFirst().orElseThrow();
        assertEquals("ForkJoinPool.co", forkJoin.comm());
        assertTrue(forkJoin.possiblyTruncated());
        TaskView worker = view.tasks().stream().filter(t -> t.comm().equals("gpu-worker-0")).findFirst().orElseThrow();
        assertEquals(false, worker.possiblyTruncated());
    }

    @Test
    void theCommandLineIsSplitAtNulAndTheCwdLinkIsFollowed() throws CheckException {
        ProcessView view = read();
        assertTrue(view.cmdline().get(0).endsWith("java"), view.cmdline().toString());
        assertTrue(view.cmdline().stream().anyMatch(a -> a.startsWith("-javaagent:") && a.endsWith("=vm-preferred.properties")),
                view.cmdline().toString());
        assertEquals(dir, view.cwd());
    }

    @Test
    void theProcesssPagesPerNodeAreOnBothNodes() throws CheckException {
        Map<Integer, Long> bytes = read().bytesPerNode();
        assertEquals(java.util.Set.of(0, 1), bytes.keySet(), bytes.toString());
    }

    @Test
    void aProcessThatDoesNotExistIsOneLineNamingIt() {
        CheckException e = assertThrows(CheckException.class, () -> new ProcReader(dir).read(4242));
        assertTrue(e.getMessage().startsWith("no process 4242"), e.getMessage());
    }
}
