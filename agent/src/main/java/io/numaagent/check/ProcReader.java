package io.numaagent.check;

import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads another process from a proc file system ({@code /proc}, or a copy of its files in tests).
 * Threads come and go while it reads: a thread that ends meanwhile is left out, not an error.
 */
public final class ProcReader {

    private final Path procRoot;

    /** @param procRoot {@code /proc}, or a directory laid out like it */
    public ProcReader(Path procRoot) {
        this.procRoot = procRoot;
    }

    public ProcessView read(int pid) throws CheckException {
        Path dir = procRoot.resolve(Integer.toString(pid));
        if (!Files.isDirectory(dir)) {
            throw new CheckException("no process " + pid + " (" + dir + " does not exist)");
        }
        List<String> cmdline;
        try {
            cmdline = splitNul(Files.readAllBytes(dir.resolve("cmdline")));
        } catch (IOException e) {
            throw new CheckException("cannot read " + dir.resolve("cmdline") + ": " + e.getMessage());
        }
        if (cmdline.isEmpty()) {
            throw new CheckException("process " + pid + " has no command line (a kernel thread or a zombie), so it is not a JVM");
        }
        Path cwd;
        try {
            cwd = Files.readSymbolicLink(dir.resolve("cwd"));
        } catch (IOException | UnsupportedOperationException e) {
            // another user's process: relative paths cannot be resolved, absolute ones still work
            cwd = Path.of("/");
        }
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String entry : splitNul(Files.readAllBytes(dir.resolve("environ")))) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // not ours to read: CUDA_VISIBLE_DEVICES and JAVA_TOOL_OPTIONS are then unknown
        }
        List<TaskView> tasks = new ArrayList<>();
        try (DirectoryStream<Path> taskDirs = Files.newDirectoryStream(dir.resolve("task"))) {
            for (Path taskDir : taskDirs) {
                readTask(taskDir).ifPresent(tasks::add);
            }
        } catch (IOException e) {
            throw new CheckException("cannot list the threads of process " + pid + " (" + dir.resolve("task") + "): " + e.getMessage());
        }
        tasks.sort(Comparator.comparingInt(TaskView::tid));
        Map<Integer, Long> bytes;
        try {
            bytes = NumaMaps.bytesPerNode(readLines(dir.resolve("numa_maps")));
        } catch (IOException e) {
            // a kernel without CONFIG_NUMA has no numa_maps
            bytes = Map.of();
        }
        return new ProcessView(pid, cmdline, cwd, env, tasks, bytes);
    }

    private static Optional<TaskView> readTask(Path taskDir) {
        int tid;
        try {
            tid = Integer.parseInt(taskDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        try {
            String comm = Files.readString(taskDir.resolve("comm"), StandardCharsets.UTF_8);
            comm = comm.endsWith("\n") ? comm.substring(0, comm.length() - 1) : comm;
            CpuSet cpus = null;
            for (String line : readLines(taskDir.resolve("status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    cpus = CpuSet.parseList(line.substring("Cpus_allowed_list:".length()));
                }
            }
            if (cpus == null) {
                return Optional.empty();
            }
            Optional<MemoryPolicyState> policy;
            try {
                // Walks every mapping of the process: the costly part of reading a thread.
                policy = NumaMaps.taskPolicy(readLines(taskDir.resolve("numa_maps")));
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                policy = Optional.empty();
            }
            return Optional.of(new TaskView(tid, comm, cpus, policy));
        } catch (IOException | IllegalArgumentException e) {
            // the thread ended while being read
            return Optional.empty();
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    static List<String> splitNul(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        if (text.endsWith("\0")) {
            text = text.substring(0, text.length() - 1);
        }
        return Arrays.asList(text.split("\0", -1));
    }
}
