package io.numaagent.check;

import io.numaagent.binding.MemoryMode;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.check.CheckReport.ProcessCpusCheck;
import io.numaagent.check.CheckReport.RuleSummary;
import io.numaagent.check.ThreadCheck.Status;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ProcessCpus;
import io.numaagent.config.Rule;
import io.numaagent.placement.Placement;
import io.numaagent.placement.Planner;
import io.numaagent.placement.ThreadMatch;
import io.numaagent.topology.CpuSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Compares a process's threads, as /proc shows them, with what the agent's rules say about them,
 * using the agent's own {@link Planner}: the expected placement is computed exactly as the agent
 * computed it when the thread started.
 *
 * <p>From outside only the thread's name is visible ({@code comm}, cut to 15 bytes), not its class
 * nor its Runnable. So a rule is matched by its {@code thread-name} alone; a rule that also names a
 * class can only "possibly" match, and a rule with no {@code thread-name} is not judged.
 */
public final class Checker {

    private final Planner planner;

    public Checker(Planner planner) {
        this.planner = planner;
    }

    public CheckReport check(ProcessView process, AgentConfig config, String configSource, Optional<Path> configFile,
            List<String> configProblems) {
        List<ThreadCheck> threads = new ArrayList<>();
        for (TaskView task : process.tasks()) {
            threads.add(checkThread(task, config.rules()));
        }
        List<RuleSummary> rules = new ArrayList<>();
        for (Rule rule : config.rules()) {
            rules.add(summarize(rule, threads));
        }
        Optional<ProcessCpusCheck> union = Optional.empty();
        if (config.processCpus() == ProcessCpus.UNION) {
            union = Optional.of(checkUnion(threads, config.rules()));
        }
        return new CheckReport(process, configSource, configFile, configProblems, threads, rules, union);
    }

    private ThreadCheck checkThread(TaskView task, List<Rule> rules) {
        for (Rule rule : rules) {
            if (rule.threadName().isEmpty()) {
                continue; // matches by class only: invisible from /proc
            }
            Matcher m = rule.threadName().get().matcher(task.comm());
            boolean full = m.matches();
            if (!full && !(task.possiblyTruncated() && m.hitEnd())) {
                continue;
            }
            List<String> uncertain = new ArrayList<>();
            if (!full) {
                uncertain.add("the name '" + task.comm() + "' is cut to " + TaskView.COMM_MAX_BYTES
                        + " bytes by the kernel and could be the start of a name rule " + rule.name() + " matches");
            }
            if (rule.threadClass().isPresent() || rule.runnableClass().isPresent()) {
                uncertain.add("rule " + rule.name() + " also names a " + (rule.threadClass().isPresent() ? "thread" : "Runnable")
                        + " class, which /proc does not show");
            }
            Optional<String> device = Optional.empty();
            if (full) {
                device = Optional.of(rule.device().expand(m.toMatchResult()));
            } else if (!rule.device().isTemplated()) {
                device = Optional.of(rule.device().expand(null));
            }
            if (device.isEmpty()) {
                return new ThreadCheck(task, Status.POSSIBLE, Optional.of(rule.name()), device, Optional.empty(),
                        Optional.empty(), List.of(String.join("; ", uncertain) + "; its device " + rule.device().text()
                                + " cannot be filled in from a cut name"));
            }
            return compare(task, rule, device.get(), uncertain);
        }
        return new ThreadCheck(task, Status.UNMATCHED, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of());
    }

    private ThreadCheck compare(TaskView task, Rule rule, String device, List<String> uncertain) {
        Planner.Result result = planner.plan(new ThreadMatch(rule, device));
        List<String> problems = new ArrayList<>();
        if (result.placement().isEmpty()) {
            problems.add("the agent leaves it unpinned: " + result.failure());
            return new ThreadCheck(task, uncertain.isEmpty() ? Status.MISMATCH : Status.POSSIBLE, Optional.of(rule.name()),
                    Optional.of(device), Optional.empty(), Optional.empty(), withUncertainty(problems, uncertain));
        }
        Placement p = result.placement().get();
        String expectedCpus = expectedCpus(p);
        if (!cpusMatch(p, task.cpus())) {
            problems.add("runs on CPUs " + task.cpus().toList() + ", the rule says " + expectedCpus);
        }
        if (p.memoryMode() != null) {
            if (task.policy().isEmpty()) {
                problems.add("its memory policy cannot be read (task/" + task.tid() + "/numa_maps)");
            } else if (!memoryMatches(p, task.policy().get())) {
                problems.add("memory policy is " + task.policy().get().describe() + ", the rule says " + p.describeMemory());
            }
        }
        Status status = !uncertain.isEmpty() ? Status.POSSIBLE : problems.isEmpty() ? Status.OK : Status.MISMATCH;
        return new ThreadCheck(task, status, Optional.of(rule.name()), Optional.of(device), Optional.of(expectedCpus),
                Optional.of(p.describeMemory()), withUncertainty(problems, uncertain));
    }

    private static List<String> withUncertainty(List<String> problems, List<String> uncertain) {
        List<String> all = new ArrayList<>(uncertain);
        all.addAll(problems);
        return all;
    }

    private static String expectedCpus(Placement p) {
        return switch (p.choice()) {
            case NODE -> p.nodeCpus().toList();
            case CORE, CPU -> "one " + p.choice().word() + " of " + p.nodeCpus().toList() + " (or all of them when none was free)";
            case FAST, L3, SPREAD, PACK -> "one of the rule's places " + p.slots().stream().map(slot -> slot.cpus().toList())
                    .distinct().toList() + " (or " + p.nodeCpus().toList() + " past the last)";
        };
    }

    /**
     * Exactly the node's CPUs (every choice's fallback), or one of the places the agent gives a
     * thread: an exclusive candidate as bound ({@link Placement#exclusiveBinding}), or a slot.
     */
    static boolean cpusMatch(Placement p, CpuSet actual) {
        if (actual.equals(p.nodeCpus())) {
            return true;
        }
        return p.exclusiveCandidates().stream().anyMatch(c -> p.exclusiveBinding(c).equals(actual))
                || p.slots().stream().anyMatch(slot -> slot.cpus().equals(actual));
    }

    /** As the agent confirms it; {@code local} also reads back as default on kernels before 5.x. */
    static boolean memoryMatches(Placement p, MemoryPolicyState state) {
        if (p.memoryMode() == MemoryMode.LOCAL) {
            return state.mode() == MemoryMode.LOCAL || state.mode() == MemoryMode.DEFAULT;
        }
        // spread/pack give each thread its own node's memory: any slot's nodes are the rule's.
        return state.mode() == p.memoryMode() && (state.nodes().equals(p.memoryNodes())
                || p.slots().stream().anyMatch(slot -> state.nodes().equals(slot.memoryNodes())));
    }

    private RuleSummary summarize(Rule rule, List<ThreadCheck> threads) {
        int matched = 0;
        int ok = 0;
        int bad = 0;
        int possible = 0;
        for (ThreadCheck t : threads) {
            if (!t.rule().equals(Optional.of(rule.name()))) {
                continue;
            }
            switch (t.status()) {
                case OK -> { matched++; ok++; }
                case MISMATCH -> { matched++; bad++; }
                case POSSIBLE -> possible++;
                default -> { }
            }
        }
        Optional<String> note = Optional.empty();
        if (rule.threadName().isEmpty()) {
            note = Optional.of("matches by class only (" + (rule.threadClass().isPresent() ? "thread-class" : "runnable-class")
                    + "), which /proc does not show: not checked");
        } else if (matched == 0 && possible == 0) {
            note = Optional.of("no thread of the process has a name it matches");
        }
        return new RuleSummary(rule.name(), rule.device().text(), rule.cpus().word(), rule.memory().word(),
                matched, ok, bad, possible, note);
    }

    private ProcessCpusCheck checkUnion(List<ThreadCheck> threads, List<Rule> rules) {
        CpuSet union = CpuSet.EMPTY;
        for (ThreadCheck t : threads) {
            if (t.status() == Status.OK || t.status() == Status.MISMATCH) {
                Planner.Result r = planner.plan(new ThreadMatch(ruleNamed(rules, t), t.device().orElseThrow()));
                if (r.placement().isPresent()) {
                    union = union.union(r.placement().get().nodeCpus());
                }
            }
        }
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        if (!union.isEmpty()) {
            for (ThreadCheck t : threads) {
                if (t.status() != Status.UNMATCHED) {
                    continue;
                }
                checked++;
                if (!t.task().cpus().equals(union)) {
                    offenders.add(t.task().comm() + " tid " + t.task().tid() + ": cpus " + t.task().cpus().toList());
                }
            }
        }
        return new ProcessCpusCheck(union, checked, offenders);
    }

    private static Rule ruleNamed(List<Rule> rules, ThreadCheck t) {
        return rules.stream().filter(r -> r.name().equals(t.rule().orElse(""))).findFirst().orElseThrow();
    }
}
