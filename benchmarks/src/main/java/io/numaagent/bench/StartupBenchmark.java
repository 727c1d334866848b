package io.numaagent.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 1. JVM start to the end of a trivial main, whole process, timed by the harness from fork to exit.
 * Variants: no agent; the empty agent; numa-agent with a rule that matches nothing; numa-agent pinning
 * the one thread main starts. Target: what numa-agent adds ≤ 3 × what the empty agent adds.
 */
final class StartupBenchmark implements Benchmark {

    private static final String MAIN = "io.numaagent.bench.child.TrivialMain";
    private static final double TARGET = 3.0;

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public void run(Setup setup, Report report) {
        Variant none = setup.noAgent();
        Variant empty = setup.emptyAgent();
        Variant unmatched = setup.numaAgent("numa-agent, no rule matches", "startup-unmatched.properties",
                "rule.nothing.thread-name = no-such-thread-\\d+", "rule.nothing.device = node:0", "rule.nothing.cpus = node",
                "rule.nothing.memory = none");
        Variant pinOne = setup.numaAgent("numa-agent, pins 1 thread", "startup-pin-one.properties",
                "rule.one.thread-name = bench-one", "rule.one.device = node:0", "rule.one.cpus = node", "rule.one.memory = preferred");
        List<Variant> variants = List.of(none, empty, unmatched, pinOne);

        boolean ok = verify(setup, report, unmatched, false) & verify(setup, report, pinOne, true);
        countClasses(setup, report, variants);
        if (!ok) {
            return;
        }

        int runs = setup.options.quick() ? 3 : 25;
        Map<Variant, List<Double>> millis = new LinkedHashMap<>();
        variants.forEach(v -> millis.put(v, new ArrayList<>()));
        List<String> failed = new ArrayList<>();
        RoundRobin.run(2, runs, variants, (round, variant) -> {
            ChildJvm.Result result = setup.run(setup.command(variant, List.of(), MAIN), Duration.ofSeconds(60));
            if (!result.ok()) {
                failed.add(variant.name() + ": " + result.describe());
            } else if (round >= 0) {
                millis.get(variant).add(result.wallNanos() / 1e6);
            }
        });
        failed.stream().distinct().forEach(f -> report.failure("startup, " + f));
        if (millis.values().stream().anyMatch(List::isEmpty)) {
            return;
        }
        double[] base = values(millis.get(none));
        report.baseline(name(), none.name(), "ms", base);
        for (Variant v : List.of(empty, unmatched, pinOne)) {
            report.figure(name(), v.name(), "ms", values(millis.get(v)), none.name(), base);
        }
        double[] emptyMs = values(millis.get(empty));
        double emptyAdded = Stats.median(emptyMs) - Stats.median(base);
        report.derived(name(), "added by the empty agent", "ms", emptyAdded,
                Stats.bootstrap(List.of(emptyMs, base), m -> m[0] - m[1]));
        for (Variant v : List.of(unmatched, pinOne)) {
            double[] ms = values(millis.get(v));
            double added = Stats.median(ms) - Stats.median(base);
            report.derived(name(), "added by " + v.name(), "ms", added, Stats.bootstrap(List.of(ms, base), m -> m[0] - m[1]));
            double factor = added / emptyAdded;
            Stats.Interval interval = Stats.bootstrap(List.of(ms, emptyMs, base), m -> (m[0] - m[2]) / (m[1] - m[2]));
            report.target(new Report.Target("start: time " + v.name() + " adds ≤ " + fmt(TARGET) + " × what the empty agent adds",
                    String.format(Locale.ROOT, "+%.0f ms vs +%.0f ms = %.1f × (90 %% CI %.1f–%.1f)", added, emptyAdded, factor,
                            interval.low(), interval.high()), factor, TARGET, interval));
        }
    }

    /** An untimed run with the agent's log at info: the agent must have started, and pinned bench-one only if meant to. */
    private boolean verify(Setup setup, Report report, Variant variant, boolean expectPin) {
        ChildJvm.Result result = setup.run(setup.command(Setup.verbose(variant), List.of(), MAIN, "--probe"), Duration.ofSeconds(60));
        if (!result.ok()) {
            report.failure("startup, " + variant.name() + " (check run): " + result.describe());
            return false;
        }
        List<String> agentLines = AgentOutput.agentLines(result);
        if (agentLines.isEmpty()) {
            report.failure("startup, " + variant.name() + ": the agent printed nothing at log level info; did it start? " + result.describe());
            return false;
        }
        boolean pinned = AgentOutput.mentions(agentLines, "bench-one");
        if (pinned != expectPin) {
            report.failure("startup, " + variant.name() + ": expected the agent " + (expectPin ? "to pin" : "not to pin")
                    + " bench-one; its output: " + String.join(" / ", agentLines));
            return false;
        }
        report.note(name(), variant.name() + ", check run: " + AgentOutput.probe(result));
        return true;
    }

    /** One more untimed run per variant with -Xlog:class+load: where the start-up time goes. */
    private void countClasses(Setup setup, Report report, List<Variant> variants) {
        for (Variant v : variants) {
            Path log = setup.workDir.resolve("startup-classes-" + v.name().replaceAll("[^A-Za-z0-9]+", "-") + ".log");
            ChildJvm.Result result = setup.run(setup.command(v, List.of(LoadedClasses.jvmOption(log)), MAIN), Duration.ofSeconds(60));
            if (!result.ok()) {
                report.failure("startup, " + v.name() + " (class count run): " + result.describe());
                continue;
            }
            Map<String, LoadedClasses.Group> groups = LoadedClasses.byLibrary(log);
            double total = groups.get("total").nanos();
            report.note(name(), v.name() + ": classes loaded from start to the end of main, and the share of that time charged to "
                    + "each library (from an -Xlog:class+load run, itself slower: " + Math.round(total / 1e6) + " ms): "
                    + groups.entrySet().stream()
                    .filter(e -> e.getValue().classes() > 0)
                    .map(e -> e.getKey().equals("total") ? "total " + e.getValue().classes()
                            : String.format(Locale.ROOT, "%s %d (%.0f %%)", e.getKey(), e.getValue().classes(), 100 * e.getValue().nanos() / total))
                    .collect(Collectors.joining(", ")));
        }
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
