package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.hostCpus;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcThreadsTest {

    @TempDir
    Path dir;

    @Test
    void findsMainAndNamedThreadsOfAChildJvmWithTheProcessMask() {
        try (ChildJvm child = startHeld(engine(dir))) {
            EngineOutput reported = EngineOutput.of(child);
            ProcThreads threads = ProcThreads.of(child.pid());
            String processMask = ProcThreads.processCpus(child.pid());

            // The Java main thread is not the process's first task and keeps the launcher's comm.
            ThreadState main = threads.byTid(reported.thread("main").tid());
            assertEquals("java", main.comm());
            ThreadState worker = threads.named("gpu-worker-0");
            assertEquals(reported.thread("gpu-worker-0").tid(), worker.tid());
            for (ThreadState thread : threads.threads()) {
                assertEquals(processMask, thread.cpusAllowedList(), "thread " + thread + " of " + threads);
            }
            assertEquals(hostCpus(), main.cpus());
        }
    }

    @Test
    void threadMasksFollowTheMaskTheChildWasStartedWith() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "needs taskset (util-linux)");
        int lastCpu = hostCpus().get(hostCpus().size() - 1);
        try (ChildJvm child = startHeld(engine(dir).launcherPrefix("/usr/bin/taskset", "-c", "" + lastCpu))) {
            ProcThreads threads = ProcThreads.of(child.pid());
            assertEquals(String.valueOf(lastCpu), ProcThreads.processCpus(child.pid()));
            for (ThreadState thread : threads.threads()) {
                assertEquals(List.of(lastCpu), thread.cpus(), "thread " + thread);
            }
            // and the engine, reading its own mask inside each thread, agrees with the kernel
            for (EngineOutput.Line line : EngineOutput.of(child).threadsNamedLike(".*")) {
                assertEquals(threads.byTid(line.tid()).cpusAllowedList(), line.get("cpus"), line.toString());
            }
        }
    }

    @Test
    void longThreadNamesAreFoundByTheirFifteenByteComm() {
        try (ChildJvm child = startHeld(engine(dir))) {
            EngineOutput.Line forkJoin = EngineOutput.of(child).threadsNamedLike("ForkJoinPool\\.commonPool-worker-\\d+").get(0);
            ThreadState thread = ProcThreads.of(child.pid()).named(forkJoin.name());
            assertEquals(forkJoin.tid(), thread.tid());
            assertEquals("ForkJoinPool.co", thread.comm());
        }
    }

    @Test
    void numaMapsTotalsCountTheWorkersBuffers() {
        try (ChildJvm child = startHeld(engine(dir).args("--devices", "2"))) {
            Map<Integer, Long> pagesByNode = ProcThreads.numaMapsPagesByNode(child.pid());
            long bufferPages = 2L * Integer.parseInt(SampleEngineProcess.BUFFER_MIB) * (1 << 20) / 4096;
            long total = pagesByNode.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(total >= bufferPages, "numa_maps counts " + pagesByNode + ", buffers alone are " + bufferPages);
            List<Integer> allowedNodes = CpuList.parse(ProcThreads.of(child.pid()).threads().get(0).memsAllowedList());
            assertTrue(allowedNodes.containsAll(pagesByNode.keySet()), pagesByNode + " outside " + allowedNodes);
        }
    }
}
