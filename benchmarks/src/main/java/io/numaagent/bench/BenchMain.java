package io.numaagent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [--quick]}: what numa-agent costs and what it buys,
 * every figure against a baseline measured in the same run, in child JVMs, variants interleaved.
 * Exit status: 0 when every variant ran and its output parsed (whatever the numbers), 1 when one did not,
 * 2 for a bad command line or missing jars. Targets are printed as PASS/MISS and never change the status.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null) {
                System.err.println("benchmarks: " + e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        List<String> missing = options.missingFiles();
        if (!missing.isEmpty()) {
            missing.forEach(line -> System.err.println("benchmarks: " + line));
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(Options options) throws IOException {
        long start = System.nanoTime();
        String loadBefore = Machine.loadAverage();
        Path workDir = Files.createTempDirectory("numa-agent-bench");
        try {
            Setup setup = new Setup(options, workDir);
            Report report = new Report();
            List<Benchmark> all = List.of(new StartupBenchmark(), new ThreadStartBenchmark(), new PinCostBenchmark(),
                    new ClassLoadBenchmark(), new SampleEngineBenchmark());
            for (Benchmark benchmark : all) {
                if (!options.only().contains(benchmark.name())) {
                    continue;
                }
                long t0 = System.nanoTime();
                System.err.println("benchmarks: " + benchmark.name() + " ...");
                try {
                    benchmark.run(setup, report);
                } catch (RuntimeException e) {
                    report.failure(benchmark.name() + ": " + e);
                }
                System.err.printf("benchmarks: %s done in %.0f s%n", benchmark.name(), (System.nanoTime() - t0) / 1e9);
            }
            long wall = (System.nanoTime() - start) / 1_000_000_000L;
            String title = "numa-agent benchmarks, " + LocalDate.now(ZoneOffset.UTC) + (options.quick() ? " (--quick)" : "");
            String text = report.render(title, Machine.describe(setup, loadBefore, wall));
            System.out.println(text);
            if (options.out() != null) {
                Files.writeString(options.out(), text, StandardCharsets.UTF_8);
            }
            return report.failures().isEmpty() ? 0 : 1;
        } finally {
            deleteTree(workDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("benchmarks: could not delete " + dir + ": " + e);
        }
    }
}
