package io.numaagent.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 3. One pin, from the hook to the kernel, against a raw {@code sched_setaffinity} through JNA. In the same
 * child JVM, threads are started and joined in turn: {@code plain-N} (no rule), {@code pinned-N} (the agent
 * pins it to node 0, memory none) and {@code raw-N} (no rule; its body pins itself to the same CPUs through
 * JNA). The figure is the start latency: just before {@code start()} to the body's first instruction after
 * any pin. What the agent's pin costs = pinned's median minus plain's; the raw call's cost is timed inside the
 * raw threads (raw − plain is printed as a cross-check). Target: agent ≤ 2 × raw.
 */
final class PinCostBenchmark implements Benchmark {

    private static final String MAIN = "io.numaagent.bench.child.PinCostMain";
    private static final double TARGET = 2.0;

    @Override
    public String name() {
        return "pin";
    }

    @Override
    public void run(Setup setup, Report report) {
        boolean quick = setup.options.quick();
        int samples = quick ? 1000 : 10_000;
        int warmup = quick ? 300 : 2000;
        int jvms = quick ? 1 : 2;
        Variant none = setup.noAgent();
        Variant agent = setup.numaAgent("numa-agent", "pin.properties", "rule.pinned.thread-name = pinned-\\d+",
                "rule.pinned.device = node:0", "rule.pinned.cpus = node", "rule.pinned.memory = none");

        if (!verify(setup, report, agent)) {
            return;
        }
        Map<String, List<Double>> agentSamples = new LinkedHashMap<>();
        Map<String, List<Double>> noAgentSamples = new LinkedHashMap<>();
        boolean[] failed = {false};
        RoundRobin.run(0, jvms, List.of(none, agent), (jvm, variant) -> {
            ChildJvm.Result result = setup.run(setup.command(variant, List.of(), MAIN, Integer.toString(samples), Integer.toString(warmup)),
                    Duration.ofMinutes(5));
            if (!result.ok()) {
                report.failure("pin, " + variant.name() + ": " + result.describe());
                failed[0] = true;
                return;
            }
            Map<String, List<Double>> into = variant == agent ? agentSamples : noAgentSamples;
            for (String line : result.stdout().split("\n")) {
                if (line.startsWith("SAMPLES ")) {
                    List<Double> list = into.computeIfAbsent(AgentOutput.field(line, "kind"), k -> new ArrayList<>());
                    for (String v : AgentOutput.field(line, "ns").split(",")) {
                        list.add(Long.parseLong(v) / 1e3);
                    }
                } else if (line.startsWith("RAW ") && !"0".equals(AgentOutput.field(line, "errors"))) {
                    report.failure("pin, " + variant.name() + ": raw sched_setaffinity failed " + AgentOutput.field(line, "errors") + " times");
                    failed[0] = true;
                }
            }
        });
        for (String kind : List.of("plain", "pinned", "raw", "syscall")) {
            if (!agentSamples.containsKey(kind) || !noAgentSamples.containsKey(kind)) {
                report.failure("pin: no SAMPLES line for kind " + kind);
                failed[0] = true;
            }
        }
        if (failed[0]) {
            return;
        }
        double[] plainNoAgent = values(noAgentSamples.get("plain"));
        double[] plain = values(agentSamples.get("plain"));
        double[] pinned = values(agentSamples.get("pinned"));
        double[] raw = values(agentSamples.get("raw"));
        double[] rawNoAgent = values(noAgentSamples.get("raw"));
        double[] syscall = values(agentSamples.get("syscall"));

        report.baseline(name(), "start latency, plain thread, no agent", "µs", plainNoAgent);
        report.figure(name(), "start latency, plain thread (no rule), agent", "µs", plain, "plain, no agent", plainNoAgent);
        report.figure(name(), "start latency, raw JNA pin in run(), no agent", "µs", rawNoAgent, "plain, no agent", plainNoAgent);
        report.figure(name(), "start latency, raw JNA pin in run(), agent", "µs", raw, "plain, agent", plain);
        report.figure(name(), "start latency, pinned by the agent", "µs", pinned, "plain, agent", plain);
        report.baseline(name(), "raw JNA sched_setaffinity alone (timed inside raw-N)", "µs", syscall);

        double agentCost = Stats.median(pinned) - Stats.median(plain);
        double rawCost = Stats.median(raw) - Stats.median(plain);
        report.derived(name(), "one pin by the agent (pinned − plain)", "µs", agentCost,
                Stats.bootstrap(List.of(pinned, plain), m -> m[0] - m[1]));
        report.derived(name(), "one raw JNA pin (raw − plain)", "µs", rawCost, Stats.bootstrap(List.of(raw, plain), m -> m[0] - m[1]));
        report.derived(name(), "hook on a thread no rule matches (plain: agent − no agent)", "µs",
                Stats.median(plain) - Stats.median(plainNoAgent), Stats.bootstrap(List.of(plain, plainNoAgent), m -> m[0] - m[1]));
        // The target's denominator: the raw call timed inside the thread that made it (a difference of two
        // medians, raw − plain, is shown above as a cross-check, but noise can make it zero or negative).
        double syscallCost = Stats.median(syscall);
        double factor = syscallCost > 0 ? agentCost / syscallCost : Double.NaN;
        Stats.Interval interval = Stats.bootstrap(List.of(pinned, plain, syscall), m -> (m[0] - m[1]) / m[2]);
        report.target(new Report.Target("pin: one pin by the agent (hook → kernel) ≤ " + (int) TARGET
                + " × a raw JNA sched_setaffinity in a new thread",
                String.format(Locale.ROOT, "%.1f µs vs %.1f µs = %.1f × (90 %% CI %.1f–%.1f)", agentCost, syscallCost, factor,
                        interval.low(), interval.high()), factor, TARGET, interval));
        report.note(name(), String.format(Locale.ROOT, "%d samples per kind per JVM after %d warm-up, %d JVM(s) per variant; plain, "
                + "pinned and raw threads alternate in rotating order; the pin is to node 0's CPUs (the whole process mask on a 1-node host, so no "
                + "migration in either case)", samples, warmup, jvms));
    }

    private boolean verify(Setup setup, Report report, Variant agent) {
        ChildJvm.Result result = setup.run(setup.command(Setup.verbose(agent), List.of(), MAIN, "3", "0"), Duration.ofSeconds(60));
        if (!result.ok()) {
            report.failure("pin, check run: " + result.describe());
            return false;
        }
        List<String> agentLines = AgentOutput.agentLines(result);
        if (!AgentOutput.mentions(agentLines, "pinned-") || AgentOutput.mentions(agentLines, "plain-")
                || AgentOutput.mentions(agentLines, "raw-")) {
            report.failure("pin, check run: expected the agent to pin pinned-N and nothing else; its output: " + String.join(" / ", agentLines));
            return false;
        }
        report.note(name(), "check run: " + AgentOutput.probe(result));
        return true;
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
