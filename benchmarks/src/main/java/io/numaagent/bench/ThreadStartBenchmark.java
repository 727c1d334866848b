package io.numaagent.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * 2. Start and join of 10 000 short threads, one after the other, each variant in its own child JVMs
 * (warm-up round, then timed rounds). Variants: no agent; a rule that matches nothing; every thread pinned
 * to node 0's CPUs with no memory policy and with {@code preferred}; every thread on an exclusive CPU.
 * Targets: unmatched ≤ 1.02 ×, pinned to a node ≤ 1.10 × no agent.
 */
final class ThreadStartBenchmark implements Benchmark {

    private static final String MAIN = "io.numaagent.bench.child.ThreadStartMain";

    private record Expectation(boolean pinned, String mempolicy, boolean oneCpu) {
    }

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public void run(Setup setup, Report report) {
        boolean quick = setup.options.quick();
        int threads = quick ? 2000 : 10_000;
        int rounds = 2;
        int jvms = quick ? 1 : 4;

        Variant none = setup.noAgent();
        Variant unmatched = setup.numaAgent("numa-agent, no rule matches", "threads-unmatched.properties",
                "rule.nothing.thread-name = no-such-thread-\\d+", "rule.nothing.device = node:0", "rule.nothing.cpus = node",
                "rule.nothing.memory = none");
        Variant nodeNone = workers(setup, "pinned to node 0, memory none", "threads-node-none.properties", "node", "none");
        Variant nodePreferred = workers(setup, "pinned to node 0, memory preferred", "threads-node-preferred.properties", "node", "preferred");
        Variant exclusive = workers(setup, "exclusive CPU each (cpus = cpu), memory none", "threads-cpu.properties", "cpu", "none");
        Map<Variant, Expectation> expected = new LinkedHashMap<>();
        expected.put(none, new Expectation(false, "default", false));
        expected.put(unmatched, new Expectation(false, "default", false));
        expected.put(nodeNone, new Expectation(true, "default", false));
        expected.put(nodePreferred, new Expectation(true, "preferred", false));
        expected.put(exclusive, new Expectation(true, "default", true));
        List<Variant> variants = List.copyOf(expected.keySet());

        Set<Variant> broken = new LinkedHashSet<>();
        for (Variant v : variants.subList(1, variants.size())) {
            if (!verify(setup, report, v, expected.get(v))) {
                broken.add(v);
            }
        }

        Map<Variant, List<Double>> micros = new LinkedHashMap<>();
        Map<Variant, List<Double>> roundMicros = new LinkedHashMap<>();
        variants.forEach(v -> micros.put(v, new ArrayList<>()));
        variants.forEach(v -> roundMicros.put(v, new ArrayList<>()));
        Map<Variant, String> agentSaid = new LinkedHashMap<>();
        RoundRobin.run(0, jvms, variants, (jvm, variant) -> {
            if (broken.contains(variant)) {
                return;
            }
            ChildJvm.Result result = setup.run(setup.command(variant, List.of(), MAIN,
                    Integer.toString(threads), "1", Integer.toString(rounds)), Duration.ofMinutes(5));
            if (!result.ok()) {
                report.failure("threads, " + variant.name() + ": " + result.describe());
                broken.add(variant);
                return;
            }
            int found = 0;
            for (String line : result.stdout().split("\n")) {
                if (line.startsWith("RESULT ")) {
                    micros.get(variant).add(Long.parseLong(AgentOutput.field(line, "median")) / 1e3);
                    roundMicros.get(variant).add(Long.parseLong(AgentOutput.field(line, "nanos")) / 1e3 / threads);
                    found++;
                } else if (line.startsWith("PROBE ")) {
                    String problem = probeProblem(line, expected.get(variant));
                    if (problem != null) {
                        report.failure("threads, " + variant.name() + ": " + problem);
                        broken.add(variant);
                    }
                }
            }
            if (found != rounds) {
                report.failure("threads, " + variant.name() + ": expected " + rounds + " RESULT lines, found " + found);
                broken.add(variant);
            }
            List<String> agentLines = AgentOutput.agentLines(result);
            if (!agentLines.isEmpty()) {
                agentSaid.putIfAbsent(variant, agentLines.size() + " line(s) at warn, first: " + agentLines.get(0));
            }
        });
        agentSaid.forEach((v, said) -> report.note(name(), v.name() + ": the agent printed " + said));
        report.note(name(), String.format(Locale.ROOT, "%d threads per round, started and joined one at a time; %d JVM(s) per variant, "
                + "1 warm-up round + %d timed rounds each. Figure: each round's median of one thread's start + join (the unit of n is a "
                + "round); the 'mean' rows are round time / threads, which bursts of other load on a shared machine move more",
                threads, jvms, rounds));

        if (broken.contains(none) || micros.get(none).isEmpty()) {
            return;
        }
        double[] base = values(micros.get(none));
        report.baseline(name(), none.name(), "µs/thread", base);
        double[] baseMean = values(roundMicros.get(none));
        report.baseline(name(), none.name() + " (mean)", "µs/thread", baseMean);
        for (Variant v : variants.subList(1, variants.size())) {
            if (broken.contains(v) || micros.get(v).isEmpty()) {
                continue;
            }
            double[] mine = values(micros.get(v));
            report.figure(name(), v.name(), "µs/thread", mine, none.name(), base);
            report.figure(name(), v.name() + " (mean)", "µs/thread", values(roundMicros.get(v)), none.name() + " (mean)", baseMean);
            double limit = v == unmatched ? 1.02 : v == exclusive ? Double.NaN : 1.10;
            if (!Double.isNaN(limit)) {
                double ratio = Stats.median(mine) / Stats.median(base);
                Stats.Interval interval = Stats.bootstrap(List.of(mine, base), m -> m[0] / m[1]);
                report.target(new Report.Target("threads: " + v.name() + " ≤ " + limit + " × no agent",
                        String.format(Locale.ROOT, "%.1f vs %.1f µs/thread = %.3f × (90 %% CI %.3f–%.3f)", Stats.median(mine),
                                Stats.median(base), ratio, interval.low(), interval.high()), ratio, limit, interval));
            }
        }
    }

    private static Variant workers(Setup setup, String name, String file, String cpus, String memory) {
        return setup.numaAgent(name, file, "rule.workers.thread-name = bench-worker-\\d+", "rule.workers.device = node:0",
                "rule.workers.cpus = " + cpus, "rule.workers.memory = " + memory);
    }

    /** A few threads with the agent's log at info: it must name the workers exactly when it is meant to pin them. */
    private boolean verify(Setup setup, Report report, Variant variant, Expectation expectation) {
        ChildJvm.Result result = setup.run(setup.command(Setup.verbose(variant), List.of(), MAIN, "3", "0", "1"), Duration.ofSeconds(60));
        if (!result.ok()) {
            report.failure("threads, " + variant.name() + " (check run): " + result.describe());
            return false;
        }
        List<String> agentLines = AgentOutput.agentLines(result);
        if (agentLines.isEmpty()) {
            report.failure("threads, " + variant.name() + ": the agent printed nothing at log level info; did it start? " + result.describe());
            return false;
        }
        if (AgentOutput.mentions(agentLines, "bench-worker-") != expectation.pinned()) {
            report.failure("threads, " + variant.name() + ": expected the agent " + (expectation.pinned() ? "to pin" : "not to pin")
                    + " bench-worker-N; its output: " + String.join(" / ", agentLines));
            return false;
        }
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("PROBE ")) {
                String problem = probeProblem(line, expectation);
                if (problem != null) {
                    report.failure("threads, " + variant.name() + " (check run): " + problem);
                    return false;
                }
                report.note(name(), variant.name() + ", check run: " + line.substring(6));
                return true;
            }
        }
        report.failure("threads, " + variant.name() + " (check run): no PROBE line");
        return false;
    }

    /** What the probe thread (named like a worker) saw, against what the variant should have done; null if it matches. */
    private static String probeProblem(String probe, Expectation expectation) {
        String cpus = AgentOutput.field(probe, "cpus");
        String mempolicy = AgentOutput.field(probe, "mempolicy");
        if (mempolicy != null && !mempolicy.startsWith("unknown") && !mempolicy.equals(expectation.mempolicy())) {
            return "a worker's memory policy is " + mempolicy + ", expected " + expectation.mempolicy() + " (" + probe + ")";
        }
        boolean oneCpu = cpus != null && cpus.matches("\\d+");
        if (expectation.oneCpu() && !oneCpu) {
            return "a worker may run on CPUs " + cpus + ", expected exactly one (" + probe + ")";
        }
        return null;
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
