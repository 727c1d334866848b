package io.numaagent.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a real /proc: {@code src/test/resources/proc/two-node-engine/PID/...} is the sample
 * engine held under the agent ({@code vm-preferred.properties}) in the 2-node numavm VM, with
 * {@code engine.out} what the engine printed about its own threads from inside. Copied into a
 * temporary directory so a test can give it a {@code cwd} link of its choosing.
 */
public final class ProcFixture {

    public static final String TWO_NODE_ENGINE = "two-node-engine";

    private final Path root;
    private final int pid;

    private ProcFixture(Path root, int pid) {
        this.root = root;
        this.pid = pid;
    }

    /** Copies the fixture into {@code tempDir}/proc and links {@code PID/cwd} to {@code cwd}. */
    public static ProcFixture copy(String name, Path tempDir, Path cwd) {
        Path source = NumaMapsTest.fixture(name);
        Path root = tempDir.resolve("proc");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = root.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
            int pid;
            try (Stream<Path> dirs = Files.list(root)) {
                pid = dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .mapToInt(Integer::parseInt).findFirst().orElseThrow();
            }
            Files.createSymbolicLink(root.resolve(pid + "/cwd"), cwd);
            return new ProcFixture(root, pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public int pid() {
        return pid;
    }

    /** The engine's own result lines: {@code worker name=.. tid=.. cpus=.. mempolicy=..}, {@code thread ...}. */
    public List<String> engineLines() {
        try {
            return Files.readAllLines(root.resolve("engine.out")).stream()
                    .filter(l -> l.startsWith("worker ") || l.startsWith("thread ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One field of an engine line, e.g. {@code field(line, "cpus")}. */
    public static String field(String line, String key) {
        for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        throw new AssertionError("no " + key + "= in " + line);
    }
}
