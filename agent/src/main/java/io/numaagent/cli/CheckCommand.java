package io.numaagent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.numaagent.check.AgentLaunch;
import io.numaagent.check.CheckException;
import io.numaagent.check.CheckReport;
import io.numaagent.check.Checker;
import io.numaagent.check.ProcReader;
import io.numaagent.check.ProcessView;
import io.numaagent.check.TaskView;
import io.numaagent.check.ThreadCheck;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.LoadedConfig;
import io.numaagent.placement.Planner;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code check PID [--config FILE] [--json]}: reads a running JVM from outside, through /proc, and
 * says per thread where it runs and which memory policy it has, and per rule of the agent's
 * configuration whether the kernel state matches the rule. Exit 0: every matched thread matches its
 * rule; 1: some do not; 2: bad input.
 */
final class CheckCommand {

    static final String USAGE = "check PID [--config FILE] [--json]";
    /** Exit code when some thread a rule matches is not placed as the rule says. */
    static final int MISMATCH = 1;

    private CheckCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Path.of("/proc"), out, err);
    }

    /** @param procRoot {@code /proc}, or a copy of a process's files there (tests) */
    static int run(String[] args, Path procRoot, PrintStream out, PrintStream err) {
        Integer pid = null;
        Path configOption = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--config") || arg.startsWith("--config=")) {
                String value = arg.equals("--config") ? (i + 1 < args.length ? args[++i] : null) : arg.substring(9);
                if (value == null || value.isBlank()) {
                    return usage(err, "--config needs a file");
                }
                configOption = Path.of(value).toAbsolutePath();
            } else if (arg.equals("--proc")) {
                // undocumented: a directory laid out like /proc, for tests
                if (i + 1 >= args.length) {
                    return usage(err, "--proc needs a directory");
                }
                procRoot = Path.of(args[++i]);
            } else if (pid == null && arg.matches("[0-9]{1,10}")) {
                try {
                    pid = Integer.parseInt(arg);
                } catch (NumberFormatException e) {
                    return usage(err, "'" + arg + "' is not a process id");
                }
            } else {
                return usage(err, arg.startsWith("-") ? "unknown option '" + arg + "'" : "'" + arg + "' is not a process id");
            }
        }
        if (pid == null) {
            return usage(err, "which process? give its PID");
        }
        try {
            CheckReport report = check(new ProcReader(procRoot), pid, configOption);
            if (json) {
                out.println(toJson(report));
            } else {
                out.print(toText(report));
            }
            return report.matches() ? 0 : MISMATCH;
        } catch (CheckException e) {
            err.println("numa-agent check: " + e.getMessage());
            return Cli.USAGE;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("numa-agent check: " + problem + "; usage: " + USAGE);
        return Cli.USAGE;
    }

    static CheckReport check(ProcReader proc, int pid, Path configOption) throws CheckException {
        ProcessView process = proc.read(pid);
        AgentLaunch launch = AgentLaunch.of(process);
        Optional<Path> file;
        String source;
        if (configOption != null) {
            file = Optional.of(configOption);
            source = "--config " + configOption;
        } else if (launch.hasAgent()) {
            file = launch.configFile();
            source = file.map(f -> f + " (from -javaagent:" + launch.agentJar().get() + "=...)")
                    .orElse("no file after -javaagent:" + launch.agentJar().get() + (launch.hasAgentProperties() ? "; -Dnuma.agent.* only" : ""));
        } else {
            throw new CheckException("process " + pid + " was not started with -javaagent:...numa-agent.jar=FILE ("
                    + abbreviate(String.join(" ", process.cmdline()), 160) + "); name its configuration with --config FILE");
        }
        if (file.isPresent() && !Files.isReadable(file.get())) {
            throw new CheckException("the configuration " + file.get() + " cannot be read" + (configOption == null
                    ? " (as named on process " + pid + "'s command line, relative to its working directory " + process.cwd() + ")"
                    : "") + "; name a readable file with --config FILE");
        }
        LoadedConfig loaded = ConfigLoader.load(file.map(Path::toString).orElse(null), launch.systemProperties());
        Path sysfsRoot = process.cwd().resolve(loaded.config().sysfsRoot());
        Topology topology;
        try {
            // The process's CUDA_VISIBLE_DEVICES renumbers gpu:N, as it did for the agent inside it.
            topology = TopologyReader.read(sysfsRoot, process.environment());
        } catch (TopologyException e) {
            throw new CheckException(e.getMessage());
        }
        List<String> problems = loaded.problems().stream().map(ConfigProblem::toString).toList();
        return new Checker(new Planner(topology)).check(process, loaded.config(), source, file, problems);
    }

    static String toText(CheckReport r) {
        StringBuilder sb = new StringBuilder();
        ProcessView p = r.process();
        sb.append("process ").append(p.pid()).append(": ").append(abbreviate(String.join(" ", p.cmdline()), 200)).append('\n');
        sb.append("configuration: ").append(r.configSource()).append(", ").append(r.rules().size()).append(" rule(s)\n");
        for (String problem : r.configProblems()) {
            sb.append("  problem: ").append(problem).append('\n');
        }
        sb.append("\nthreads (").append(r.threads().size()).append("):\n");
        sb.append(String.format("  %-8s %-16s %-12s %-18s %s%n", "TID", "NAME", "CPUS", "MEMORY POLICY", "RULE"));
        for (ThreadCheck t : r.threads()) {
            TaskView task = t.task();
            String rule = t.rule().isEmpty() ? "-"
                    : t.rule().get() + t.device().map(d -> " -> " + d).orElse("") + ": " + t.status().word();
            sb.append(String.format("  %-8d %-16s %-12s %-18s %s%n", task.tid(), task.comm(), task.cpus().toList(),
                    task.policy().map(s -> s.describe()).orElse("?"), rule));
        }
        sb.append("\npages per node (whole process): ").append(pages(r.bytesPerNode())).append('\n');
        sb.append("\nrules:\n");
        if (r.rules().isEmpty()) {
            sb.append("  (none)\n");
        }
        for (CheckReport.RuleSummary rule : r.rules()) {
            sb.append("  ").append(rule.name()).append(" (device ").append(rule.device()).append(", cpus ").append(rule.cpus())
                    .append(", memory ").append(rule.memory()).append("): ").append(rule.matched()).append(" matched, ")
                    .append(rule.ok()).append(" ok");
            if (rule.mismatched() > 0) {
                sb.append(", ").append(rule.mismatched()).append(" NOT as the rule says");
            }
            if (rule.possible() > 0) {
                sb.append(", ").append(rule.possible()).append(" possibly matching");
            }
            rule.note().ifPresent(n -> sb.append("; ").append(n));
            sb.append('\n');
            for (ThreadCheck t : r.threads()) {
                if (t.rule().equals(Optional.of(rule.name())) && !t.problems().isEmpty()) {
                    sb.append("    ").append(t.task().comm()).append(" tid ").append(t.task().tid()).append(": ")
                            .append(t.status() == ThreadCheck.Status.MISMATCH ? "MISMATCH" : t.status().word()).append(": ")
                            .append(String.join("; ", t.problems())).append('\n');
                }
            }
        }
        r.processCpus().ifPresent(u -> {
            sb.append("process.cpus = union: ");
            if (u.union().isEmpty()) {
                sb.append("no matched thread, nothing to check\n");
            } else {
                sb.append(u.threadsChecked()).append(" other thread(s) should run on CPUs ").append(u.union().toList())
                        .append(u.ok() ? ": ok" : ": " + u.offenders().size() + " do not: " + String.join(", ", u.offenders())).append('\n');
            }
        });
        sb.append("\nresult: ").append(r.matches() ? "every matched thread is placed as its rule says"
                : "some threads are NOT placed as their rule says").append('\n');
        return sb.toString();
    }

    private static String pages(Map<Integer, Long> bytesPerNode) {
        if (bytesPerNode.isEmpty()) {
            return "unknown (no numa_maps)";
        }
        long total = bytesPerNode.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sb = new StringBuilder();
        bytesPerNode.forEach((node, bytes) -> sb.append(sb.length() == 0 ? "" : ", ").append("node ").append(node).append(' ')
                .append(String.format(Locale.ROOT, "%.1f MiB (%.1f %%)", bytes / 1048576.0, total == 0 ? 0 : 100.0 * bytes / total)));
        return sb.toString();
    }

    static String toJson(CheckReport r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("pid", r.process().pid());
            g.writeArrayFieldStart("command");
            for (String arg : r.process().cmdline()) {
                g.writeString(arg);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("config");
            g.writeStringField("source", r.configSource());
            g.writeStringField("file", r.configFile().map(Path::toString).orElse(null));
            g.writeArrayFieldStart("problems");
            for (String problem : r.configProblems()) {
                g.writeString(problem);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("threads");
            for (ThreadCheck t : r.threads()) {
                g.writeStartObject();
                g.writeNumberField("tid", t.task().tid());
                g.writeStringField("name", t.task().comm());
                g.writeBooleanField("name_possibly_truncated", t.task().possiblyTruncated());
                g.writeStringField("cpus", t.task().cpus().toList());
                g.writeStringField("memory_mode", t.task().policy().map(s -> s.mode().text()).orElse(null));
                g.writeStringField("memory_nodes", t.task().policy().map(s -> s.nodes().toList()).orElse(null));
                g.writeStringField("status", t.status().word());
                g.writeStringField("rule", t.rule().orElse(null));
                g.writeStringField("device", t.device().orElse(null));
                g.writeStringField("expected_cpus", t.expectedCpus().orElse(null));
                g.writeStringField("expected_memory", t.expectedMemory().orElse(null));
                g.writeArrayFieldStart("problems");
                for (String problem : t.problems()) {
                    g.writeString(problem);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("bytes_per_node");
            for (Map.Entry<Integer, Long> e : r.bytesPerNode().entrySet()) {
                g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rules");
            for (CheckReport.RuleSummary rule : r.rules()) {
                g.writeStartObject();
                g.writeStringField("name", rule.name());
                g.writeStringField("device", rule.device());
                g.writeStringField("cpus", rule.cpus());
                g.writeStringField("memory", rule.memory());
                g.writeNumberField("matched", rule.matched());
                g.writeNumberField("ok", rule.ok());
                g.writeNumberField("mismatched", rule.mismatched());
                g.writeNumberField("possible", rule.possible());
                g.writeStringField("note", rule.note().orElse(null));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.processCpus().isPresent()) {
                CheckReport.ProcessCpusCheck u = r.processCpus().get();
                g.writeObjectFieldStart("process_cpus");
                g.writeStringField("mode", "union");
                g.writeStringField("union", u.union().toList());
                g.writeNumberField("threads_checked", u.threadsChecked());
                g.writeBooleanField("ok", u.ok());
                g.writeArrayFieldStart("offenders");
                for (String o : u.offenders()) {
                    g.writeString(o);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeBooleanField("matches", r.matches());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
