package io.numaagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * 5. Class loading: a fixed list of java.base classes loaded (not initialised) by the boot loader, once per
 * JVM, so every timed JVM is fresh. The list: every java.base class of the children's JDK, sorted, minus
 * those any variant has already loaded when the timed part starts (learnt from {@code -Xlog:class+load}
 * runs), then 4 000 picked at even steps. Target: numa-agent ≤ 1.25 × no agent.
 */
final class ClassLoadBenchmark implements Benchmark {

    private static final String MAIN = "io.numaagent.bench.child.ClassLoadMain";
    private static final int CLASSES = 4000;
    private static final double TARGET = 1.25;

    @Override
    public String name() {
        return "classload";
    }

    @Override
    public void run(Setup setup, Report report) {
        int jvms = setup.options.quick() ? 1 : 10;
        Variant none = setup.noAgent();
        Variant empty = setup.emptyAgent();
        Variant agent = setup.numaAgent("numa-agent (worker rule)", "classload.properties",
                "rule.workers.thread-name = bench-worker-\\d+", "rule.workers.device = node:0", "rule.workers.cpus = node",
                "rule.workers.memory = preferred");
        List<Variant> variants = List.of(none, empty, agent);

        Path list;
        try {
            list = chooseClasses(setup, report, variants);
        } catch (IllegalStateException e) {
            report.failure("classload: " + e.getMessage());
            return;
        }
        Map<Variant, List<Double>> micros = new LinkedHashMap<>();
        variants.forEach(v -> micros.put(v, new ArrayList<>()));
        Set<String> failedCounts = new LinkedHashSet<>();
        boolean[] failed = {false};
        RoundRobin.run(0, jvms, variants, (jvm, variant) -> {
            ChildJvm.Result result = setup.run(setup.command(variant, List.of(), MAIN, list.toString()), Duration.ofMinutes(2));
            if (!result.ok()) {
                report.failure("classload, " + variant.name() + ": " + result.describe());
                failed[0] = true;
                return;
            }
            String line = result.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
            if (line == null) {
                report.failure("classload, " + variant.name() + ": no RESULT line");
                failed[0] = true;
                return;
            }
            int classes = Integer.parseInt(AgentOutput.field(line, "classes"));
            failedCounts.add(AgentOutput.field(line, "failed"));
            micros.get(variant).add(Long.parseLong(AgentOutput.field(line, "nanos")) / 1e3 / classes);
        });
        if (failed[0]) {
            return;
        }
        if (!failedCounts.equals(Set.of("0"))) {
            report.note(name(), "classes that could not be loaded (same list in every variant): " + failedCounts);
        }
        double[] base = values(micros.get(none));
        report.baseline(name(), none.name(), "µs/class", base);
        report.figure(name(), empty.name(), "µs/class", values(micros.get(empty)), none.name(), base);
        double[] mine = values(micros.get(agent));
        report.figure(name(), agent.name(), "µs/class", mine, none.name(), base);
        report.derived(name(), "added per class by numa-agent", "µs", Stats.median(mine) - Stats.median(base),
                Stats.bootstrap(List.of(mine, base), m -> m[0] - m[1]));
        double ratio = Stats.median(mine) / Stats.median(base);
        Stats.Interval interval = Stats.bootstrap(List.of(mine, base), m -> m[0] / m[1]);
        report.target(new Report.Target("class loading: numa-agent ≤ " + TARGET + " × no agent, per class",
                String.format(Locale.ROOT, "%.1f vs %.1f µs/class = %.2f × (90 %% CI %.2f–%.2f)", Stats.median(mine), Stats.median(base),
                        ratio, interval.low(), interval.high()), ratio, TARGET, interval));
        report.note(name(), String.format(Locale.ROOT, "%d java.base classes, Class.forName(name, false, null), once per fresh JVM; "
                + "%d JVM(s) per variant", CLASSES, jvms));
    }

    /** Writes the fixed list; deterministic for a given JDK and agent. */
    private Path chooseClasses(Setup setup, Report report, List<Variant> variants) {
        Path all = setup.workDir.resolve("java-base-classes.txt");
        ChildJvm.Result listed = setup.run(setup.command(setup.noAgent(), List.of(), MAIN, "--list", all.toString()), Duration.ofMinutes(1));
        if (!listed.ok()) {
            throw new IllegalStateException("cannot list java.base: " + listed.describe());
        }
        Set<String> preloaded = new LinkedHashSet<>();
        for (Variant v : variants) {
            Path log = setup.workDir.resolve("classload-preloaded-" + variants.indexOf(v) + ".log");
            ChildJvm.Result dry = setup.run(setup.command(v, List.of(LoadedClasses.jvmOption(log)), MAIN, "--dry", all.toString()),
                    Duration.ofMinutes(1));
            if (!dry.ok()) {
                throw new IllegalStateException(v.name() + " (class list run): " + dry.describe());
            }
            preloaded.addAll(LoadedClasses.names(log));
        }
        try {
            List<String> candidates = new ArrayList<>();
            for (String name : Files.readAllLines(all)) {
                if (!preloaded.contains(name)) {
                    candidates.add(name);
                }
            }
            if (candidates.size() < CLASSES) {
                throw new IllegalStateException("java.base has only " + candidates.size() + " classes not loaded at start; need " + CLASSES);
            }
            List<String> chosen = new ArrayList<>(CLASSES);
            for (int i = 0; i < CLASSES; i++) {
                chosen.add(candidates.get((int) ((long) i * candidates.size() / CLASSES)));
            }
            Path list = setup.workDir.resolve("classload-list.txt");
            Files.write(list, chosen);
            report.note(name(), String.format(Locale.ROOT, "list: %d of the %d java.base classes that no variant had loaded before the "
                    + "timed part (%d were), at even steps in name order", CLASSES, candidates.size(), preloaded.size()));
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
