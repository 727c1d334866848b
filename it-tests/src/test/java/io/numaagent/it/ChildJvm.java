package io.numaagent.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started from the test JVM's own {@code java.home} (so a JDK 25 test run tests JDK 25), with its
 * output captured to files. Every wait has a timeout and fails with the child's command and output, and
 * {@link #close()} kills whatever is still running, so no test can hang on a child.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(25);

    private final List<String> command;
    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;

    private ChildJvm(List<String> command, Process process, Path stdoutFile, Path stderrFile) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    public static Builder builder(Path outputDir) {
        return new Builder(outputDir);
    }

    /** The {@code java} of the JVM running the tests. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A file the build made or holds, named by a system property that surefire sets; fails clearly when missing. */
    public static Path builtFile(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through"
                    + " Maven (it-tests/pom.xml sets it) or pass -D" + property + "=<path to the jar>");
        }
        Path jar = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + "=" + jar + " does not exist: build the jars first with"
                    + " mvn -pl sample-engine,it-tests -am package -DskipTests");
        }
        return jar;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> command() {
        return command;
    }

    /**
     * Waits for a line of stdout that starts with the prefix and returns it. Fails at once if the child exits
     * without printing it, and after the timeout otherwise; both failures carry the child's output.
     */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = stdoutLines().stream().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                // the output file may still be receiving the last bytes a moment after exit
                Optional<String> late = stdoutLines().stream().filter(l -> l.startsWith(prefix)).findFirst();
                if (late.isPresent()) {
                    return late.get();
                }
                throw new AssertionError("child exited with " + process.exitValue() + " before printing a line"
                        + " starting with '" + prefix + "'\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout + "\n" + describe());
            }
            sleep(POLL);
        }
    }

    /** Writes one line to the child's stdin. */
    public void sendLine(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child's stdin\n" + describe(), e);
        }
    }

    /** Closes the child's stdin: a held sample engine then finishes. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child already closed its end: it is finishing anyway
        }
    }

    /** Waits for the child to exit and returns its exit code; fails with its output after the timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child still running after " + timeout + "\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the child\n" + describe(), e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdoutFile);
    }

    public String stderr() {
        return read(stderrFile);
    }

    public List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    public List<String> stderrLines() {
        return stderr().lines().toList();
    }

    /** The command, state and both outputs, for failure messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- child pid " + process.pid() + " (" + state + "): " + String.join(" ", command)
                + "\n--- stdout (" + stdoutFile + "):\n" + stdout()
                + "\n--- stderr (" + stderrFile + "):\n" + stderr() + "\n---";
    }

    /** Kills the child and its descendants if they still run; waits briefly so no process outlives the test. */
    @Override
    public void close() {
        closeStdin();
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What to start. Output goes to {@code <outputDir>/<name>.stdout|.stderr}. */
    public static final class Builder {
        private final Path outputDir;
        private final List<String> launcherPrefix = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> main = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String name = "child";

        private Builder(Path outputDir) {
            this.outputDir = outputDir;
        }

        /** Names the output files, so several children of one test keep apart. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** A command that execs java, e.g. {@code taskset -c 0}; the pid stays java's. */
        public Builder launcherPrefix(String... prefix) {
            launcherPrefix.addAll(Arrays.asList(prefix));
            return this;
        }

        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(Arrays.asList(jvmArgs));
            return this;
        }

        /** {@code -javaagent:<jar>=<options>}, or without options when they are null. */
        public Builder javaagent(Path agentJar, String options) {
            jvmArgs.add("-javaagent:" + agentJar + (options == null ? "" : "=" + options));
            return this;
        }

        public Builder jar(Path jar) {
            main.clear();
            main.addAll(List.of("-jar", jar.toString()));
            return this;
        }

        public Builder mainClass(String classPath, String mainClass) {
            main.clear();
            main.addAll(List.of("-cp", classPath, mainClass));
            return this;
        }

        public Builder args(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public ChildJvm start() {
            if (main.isEmpty()) {
                throw new IllegalStateException("no main: call jar(..) or mainClass(..)");
            }
            List<String> command = new ArrayList<>(launcherPrefix);
            command.add(javaExecutable().toString());
            command.addAll(jvmArgs);
            command.addAll(main);
            command.addAll(args);
            try {
                Files.createDirectories(outputDir);
                Path stdout = outputDir.resolve(name + ".stdout");
                Path stderr = outputDir.resolve(name + ".stderr");
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
                builder.environment().putAll(env);
                return new ChildJvm(command, builder.start(), stdout, stderr);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
            }
        }
    }
}
