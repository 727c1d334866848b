package io.numaagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads the kernel's view of a live process's threads and memory from /proc: what the agent actually did. */
public final class ProcThreads {

    private static final Pattern NODE_PAGES = Pattern.compile("\\bN(\\d+)=(\\d+)\\b");

    private final long pid;
    private final List<ThreadState> threads;

    private ProcThreads(long pid, List<ThreadState> threads) {
        this.pid = pid;
        this.threads = List.copyOf(threads);
    }

    /** A snapshot of every thread of the process; threads that end while it is read are left out. */
    public static ProcThreads of(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        List<ThreadState> threads = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path dir : dirs) {
                read(dir).ifPresent(threads::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tasks + " (has process " + pid + " ended?)", e);
        }
        threads.sort(Comparator.comparingLong(ThreadState::tid));
        return new ProcThreads(pid, threads);
    }

    private static Optional<ThreadState> read(Path taskDir) {
        try {
            String comm = Files.readString(taskDir.resolve("comm")).strip();
            Map<String, String> status = status(taskDir.resolve("status"));
            return Optional.of(new ThreadState(Long.parseLong(taskDir.getFileName().toString()), comm,
                    status.getOrDefault("Cpus_allowed_list", ""), status.getOrDefault("Mems_allowed_list", "")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> status(Path file) throws IOException {
        Map<String, String> fields = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    public long pid() {
        return pid;
    }

    public List<ThreadState> threads() {
        return threads;
    }

    /** The thread with this kernel id; fails listing every thread if there is none. */
    public ThreadState byTid(long tid) {
        return threads.stream().filter(t -> t.tid() == tid).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + tid + " in process " + pid + ": " + this));
    }

    /** The one thread whose comm is this Java name (cut to 15 bytes); fails if there is not exactly one. */
    public ThreadState named(String javaName) {
        List<ThreadState> found = threads.stream().filter(t -> t.hasJavaName(javaName)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " threads named '" + ThreadState.commOf(javaName)
                    + "' in process " + pid + ": " + this);
        }
        return found.get(0);
    }

    /** Threads whose comm matches the pattern entirely, in tid order. */
    public List<ThreadState> matching(Pattern comm) {
        return threads.stream().filter(t -> comm.matcher(t.comm()).matches()).toList();
    }

    /** The process's own mask (its main task's Cpus_allowed_list). */
    public static String processCpus(long pid) {
        try {
            return status(Path.of("/proc", Long.toString(pid), "status")).getOrDefault("Cpus_allowed_list", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pages per NUMA node summed over every mapping in /proc/&lt;pid&gt;/numa_maps. */
    public static Map<Integer, Long> numaMapsPagesByNode(long pid) {
        Path file = Path.of("/proc", Long.toString(pid), "numa_maps");
        Map<Integer, Long> totals = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher m = NODE_PAGES.matcher(line);
                while (m.find()) {
                    totals.merge(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return totals;
    }

    @Override
    public String toString() {
        return threads.stream().map(t -> t.tid() + ":" + t.comm() + "[" + t.cpusAllowedList() + "]")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
