package io.numaagent.check;

import io.numaagent.topology.CpuSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of checking one process: every thread, every rule, the process's pages per node.
 *
 * @param configSource where the rules came from, e.g. the file, {@code --config FILE} or {@code -D only}
 * @param configProblems the configuration's problem lines (rules with problems are left out, as the agent does)
 * @param processCpus    the check of {@code process.cpus = union}; empty for {@code all}
 */
public record CheckReport(ProcessView process, String configSource, Optional<Path> configFile,
        List<String> configProblems, List<ThreadCheck> threads, List<RuleSummary> rules,
        Optional<ProcessCpusCheck> processCpus) {

    public CheckReport {
        configProblems = List.copyOf(configProblems);
        threads = List.copyOf(threads);
        rules = List.copyOf(rules);
    }

    /** Every thread a rule certainly matches is placed as the rule says, and so are the other threads under union. */
    public boolean matches() {
        return threads.stream().noneMatch(t -> t.status() == ThreadCheck.Status.MISMATCH)
                && processCpus.map(ProcessCpusCheck::ok).orElse(true);
    }

    public Map<Integer, Long> bytesPerNode() {
        return process.bytesPerNode();
    }

    /**
     * @param note for a rule /proc cannot judge (it matches by class only), or that matched nothing
     */
    public record RuleSummary(String name, String device, String cpus, String memory, int matched, int ok,
            int mismatched, int possible, Optional<String> note) {
    }

    /**
     * {@code process.cpus = union}: threads no rule matches must run on (at least) the union of the
     * matched workers' node CPUs, never narrower than a worker they may start.
     *
     * @param union     the union of the node CPUs of the matched threads' placements
     * @param offenders "name tid N: cpus LIST" for each unmatched thread outside it
     */
    public record ProcessCpusCheck(CpuSet union, int threadsChecked, List<String> offenders) {
        public ProcessCpusCheck {
            offenders = List.copyOf(offenders);
        }

        public boolean ok() {
            return offenders.isEmpty();
        }
    }
}
