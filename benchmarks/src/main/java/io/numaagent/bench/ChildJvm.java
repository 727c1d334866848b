package io.numaagent.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one child JVM to completion, its output going to files (not pipes: no reader threads in the
 * harness competing with the child for the CPUs while it is timed).
 */
final class ChildJvm {

    record Result(List<String> command, int exitCode, String stdout, String stderr, long wallNanos) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Both streams, for checks that do not care where the agent logs. */
        String output() {
            return stdout + "\n" + stderr;
        }

        /** One line for a failure report: the command, the exit code and the last lines of stderr. */
        String describe() {
            String[] err = stderr.strip().split("\n");
            int from = Math.max(0, err.length - 6);
            return "exit " + exitCode + " from " + String.join(" ", command)
                    + (stderr.isBlank() ? "" : "\n      stderr: " + String.join("\n      ", List.of(err).subList(from, err.length)));
        }
    }

    private final Path workDir;
    private int serial;

    ChildJvm(Path workDir) {
        this.workDir = workDir;
    }

    Result run(List<String> command, Duration timeout) {
        Path out = workDir.resolve("child-" + serial + ".out");
        Path err = workDir.resolve("child-" + serial++ + ".err");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long wall = System.nanoTime() - start;
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            int exit = finished ? process.exitValue() : -1;
            return new Result(command, exit, stdout, finished ? stderr : stderr + "\n(killed after " + timeout.toSeconds() + " s)", wall);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
