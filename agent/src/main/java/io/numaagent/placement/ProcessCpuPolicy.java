package io.numaagent.placement;

import io.numaagent.binding.BindingException;
import io.numaagent.binding.CpuAffinity;
import io.numaagent.config.ProcessCpus;
import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The mask of every thread that is not a worker: the JVM's own threads (main, GC, JIT, signal)
 * and unmatched engine threads. With {@code process.cpus = all} it is the mask the process had at
 * start. With {@code union} it is the union of the nodes of the workers pinned so far, and it
 * only widens: a parent's mask must hold every child's (vLLM's EngineCore lesson), so the
 * threads that create workers are never narrower than the workers.
 */
final class ProcessCpuPolicy {

    private final ProcessCpus mode;
    private final CpuSet startMask;
    private final CpuAffinity affinity;
    private final Logger log;
    private volatile CpuSet union = CpuSet.EMPTY;

    ProcessCpuPolicy(ProcessCpus mode, CpuSet startMask, CpuAffinity affinity, Logger log) {
        this.mode = mode;
        this.startMask = startMask;
        this.affinity = affinity;
        this.log = log;
    }

    /** What an unmatched thread gets back when it inherited a worker's mask. */
    CpuSet defaultMask() {
        CpuSet current = union;
        return mode == ProcessCpus.UNION && !current.isEmpty() ? current : startMask;
    }

    /** Whether {@link #beforeWorkerPinned} may need the workers' kernel thread ids (process.cpus = union). */
    boolean tracksWorkerTids() {
        return mode == ProcessCpus.UNION;
    }

    /**
     * Called before a worker is pinned to {@code nodeCpus}: widens the union first, so that no
     * thread that may create workers is ever narrower than a worker.
     *
     * @param workerTids threads that keep their own binding, asked for only when the union widens
     */
    void beforeWorkerPinned(CpuSet nodeCpus, Supplier<Set<Integer>> workerTidsSupplier) {
        if (mode != ProcessCpus.UNION || union.containsAll(nodeCpus)) {
            return;
        }
        synchronized (this) {
            CpuSet widened = union.union(nodeCpus).intersect(startMask);
            if (widened.equals(union)) {
                return;
            }
            union = widened;
            Set<Integer> workerTids = workerTidsSupplier.get();
            int moved = 0;
            List<String> failures = new ArrayList<>();
            for (int tid : threadIds()) {
                if (workerTids.contains(tid)) {
                    continue;
                }
                try {
                    affinity.bindThread(tid, widened);
                    moved++;
                } catch (BindingException e) {
                    // A thread that ended meanwhile is not a failure worth a warning.
                    if (Files.exists(Path.of("/proc/self/task/" + tid))) {
                        failures.add(tid + ": " + e.getMessage());
                    }
                }
            }
            log.info("process.cpus = union: {} JVM and engine threads now on CPUs {}", moved, widened.toList());
            if (!failures.isEmpty()) {
                log.warn("process.cpus = union: could not move {} thread(s): {}", failures.size(), failures);
            }
        }
    }

    private static List<Integer> threadIds() {
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                tids.add(Integer.parseInt(task.getFileName().toString()));
            }
        } catch (IOException | NumberFormatException e) {
            // /proc unreadable: the union then applies to new threads only.
        }
        return tids;
    }
}
