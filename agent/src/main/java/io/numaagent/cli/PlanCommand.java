package io.numaagent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Rule;
import io.numaagent.placement.DryRun;
import io.numaagent.placement.Placement;
import io.numaagent.placement.Planner;
import io.numaagent.placement.ThreadMatch;
import io.numaagent.placement.ThreadSlot;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code plan CONFIG [--root DIR] [--threads NAME,...] [--json]}: what the agent would do with a
 * configuration on this machine (or a snapshot), without starting any engine. Every decision comes
 * from the code the real run uses: {@link ConfigLoader}, {@link Planner#validate}, {@link Planner#plan}
 * and, for the given thread names in the order given, {@link DryRun}.
 *
 * <p>Exit code: 0 when the configuration has no problem, 1 when the real run would report problems
 * (and ignore those rules or keys), 2 for a bad command line or an unreadable machine.
 */
final class PlanCommand {

    static final String USAGE = "plan CONFIG [--root DIR] [--threads NAME,NAME,...] [--json]";

    private PlanCommand() {
    }

    /** What the plan found, ready to print as text or JSON. */
    private record Report(String config, Path root, List<String> warnings, List<RulePlan> rules, List<DryRun.ThreadPlan> threads) {
    }

    /** A rule as written, whether the real run keeps it, and where its threads go when its device is fixed. */
    private record RulePlan(Rule rule, List<ConfigProblem> problems, Placement placement, String failure) {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), ConfigLoader.agentSystemProperties(), out, err);
    }

    static int run(String[] args, Map<String, String> env, Map<String, String> properties, PrintStream out, PrintStream err) {
        String config = null;
        Path root = null;
        List<String> threads = new ArrayList<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--root") || a.equals("--threads")) {
                if (i + 1 >= args.length) {
                    err.println("numa-agent plan: " + a + " needs a value; usage: " + USAGE);
                    return Cli.USAGE;
                }
                String v = args[++i];
                if (a.equals("--root")) {
                    root = Path.of(v);
                } else {
                    addThreads(threads, v);
                }
            } else if (a.startsWith("--root=")) {
                root = Path.of(a.substring(7));
            } else if (a.startsWith("--threads=")) {
                addThreads(threads, a.substring(10));
            } else if (a.startsWith("-") || config != null) {
                err.println("numa-agent plan: unexpected argument '" + a + "'; usage: " + USAGE);
                return Cli.USAGE;
            } else {
                config = a;
            }
        }
        if (config == null) {
            err.println("numa-agent plan: no configuration file given; usage: " + USAGE);
            return Cli.USAGE;
        }

        LoadedConfig loaded = ConfigLoader.load(config, properties);
        AgentConfig agentConfig = loaded.config();
        Path machine = root != null ? root : agentConfig.sysfsRoot();
        Topology topology;
        try {
            topology = TopologyReader.read(machine, env);
        } catch (TopologyException e) {
            err.println("numa-agent plan: " + e.getMessage());
            return Cli.USAGE;
        }

        // The same steps, in the same order, as AgentInstaller.install.
        List<String> warnings = new ArrayList<>();
        loaded.problems().forEach(p -> warnings.add(p + " (this rule or key is ignored)"));
        Planner planner = new Planner(topology);
        List<Rule> kept = new ArrayList<>();
        List<RulePlan> rules = new ArrayList<>();
        boolean machineProblems = false;
        for (Rule rule : agentConfig.rules()) {
            List<ConfigProblem> problems = planner.validate(rule);
            problems.forEach(p -> warnings.add(p + " (this rule is ignored)"));
            machineProblems |= !problems.isEmpty();
            Placement placement = null;
            String failure = null;
            if (problems.isEmpty()) {
                kept.add(rule);
                if (!rule.device().isTemplated()) {
                    Planner.Result r = planner.plan(new ThreadMatch(rule, rule.device().expand(null)));
                    placement = r.placement().orElse(null);
                    failure = r.failure();
                    if (failure != null) {
                        warnings.add("rule " + rule.name() + ": its threads would be left unpinned: " + failure);
                    }
                }
            }
            rules.add(new RulePlan(rule, problems, placement, failure));
        }
        boolean problems = loaded.hasProblems() || machineProblems;
        if (agentConfig.strict() && problems) {
            warnings.add("strict = true: the real run would stop the JVM at start on the first problem");
        }
        if (kept.isEmpty()) {
            warnings.add("no rule to apply: no thread would be pinned");
        }
        topology.notes().forEach(n -> warnings.add("topology note: " + n));

        DryRun dryRun = new DryRun(planner, kept);
        List<DryRun.ThreadPlan> threadPlans = threads.stream().map(dryRun::start).toList();
        Report report = new Report(config, machine, warnings, rules, threadPlans);
        if (json) {
            out.println(toJson(report));
        } else {
            out.print(toText(report));
        }
        return problems ? 1 : 0;
    }

    private static void addThreads(List<String> threads, String list) {
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                threads.add(name.strip());
            }
        }
    }

    /** {@code -Dnuma.agent.KEY=VALUE} given to the CLI's JVM apply to the plan as to the agent. */
    private static boolean needsClass(Rule rule) {
        return rule.threadClass().isPresent() || rule.runnableClass().isPresent();
    }

    /** The distinct places the rule's threads take, in the order threads get them. */
    private static List<String> places(Placement p) {
        LinkedHashSet<String> places = new LinkedHashSet<>();
        for (ThreadSlot s : p.slots()) {
            places.add(s.what() + " memory " + p.describeMemory(s.memoryNodes()));
        }
        return new ArrayList<>(places);
    }

    private static String node(int node) {
        return node < 0 ? "none (-1)" : Integer.toString(node);
    }

    private static String cpusOf(Placement p) {
        return switch (p.choice()) {
            case CORE, CPU -> "one exclusive " + p.choice().word() + " each from " + p.nodeCpus().toList()
                    + (p.exclusiveCandidates().isEmpty() ? "" : " (first: " + p.exclusiveBinding(p.exclusiveCandidates().get(0)).toList() + ")");
            case FAST, L3, SPREAD, PACK -> "per thread, see places; device CPUs " + p.nodeCpus().toList();
            default -> p.nodeCpus().toList();
        };
    }

    static String toText(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("plan for ").append(r.config()).append(" on ").append(r.root()).append(" (dry run: nothing is pinned)\n");
        sb.append("\nrules (tried in this order; the first whose keys all hold wins):\n");
        for (RulePlan rp : r.rules()) {
            Rule rule = rp.rule();
            sb.append("  rule ").append(rule.name()).append(": ").append(rule.matchKeys()).append(" -> device ")
                    .append(rule.device().text()).append(", cpus ").append(rule.cpus().word()).append(", memory ")
                    .append(rule.memory().word()).append('\n');
            if (!rp.problems().isEmpty()) {
                sb.append("    IGNORED: ").append(rp.problems().get(0).message()).append('\n');
                continue;
            }
            if (needsClass(rule)) {
                sb.append("    matches by class: a thread name alone cannot tell which threads it takes\n");
            }
            if (rule.device().isTemplated()) {
                sb.append("    device depends on the thread name; give --threads NAME,... to see each thread's place\n");
            } else if (rp.placement() == null) {
                sb.append("    threads left unpinned: ").append(rp.failure()).append('\n');
            } else {
                Placement p = rp.placement();
                sb.append("    device ").append(p.match().deviceName()).append(" node ").append(node(p.location().node()))
                        .append(": ").append(p.location().explanation()).append('\n');
                sb.append("    cpus ").append(cpusOf(p)).append('\n');
                for (String place : places(p)) {
                    sb.append("      place: ").append(place).append('\n');
                }
                boolean perNode = p.choice() == io.numaagent.config.CpuChoice.SPREAD || p.choice() == io.numaagent.config.CpuChoice.PACK;
                sb.append("    memory ").append(perNode && p.memoryMode() != null ? "per thread, on its place's node (see places)"
                        : p.describeMemory()).append('\n');
                p.notes().forEach(n -> sb.append("    note: ").append(n).append('\n'));
            }
        }
        if (!r.threads().isEmpty()) {
            sb.append("\nthreads (started in this order):\n");
            for (DryRun.ThreadPlan t : r.threads()) {
                sb.append("  '").append(t.name()).append("': ");
                if (t.match() == null) {
                    sb.append("no rule matches by name; keeps the process's CPUs and memory policy\n");
                } else if (t.placement() == null) {
                    sb.append("rule ").append(t.match().rule().name()).append(", device ").append(t.match().deviceName())
                            .append(": left unpinned\n");
                } else {
                    Placement p = t.placement();
                    sb.append("rule ").append(p.match().rule().name()).append(", device ").append(p.match().deviceName())
                            .append(", node ").append(node(p.location().node())).append(", cpus ").append(t.cpus().toList())
                            .append(", memory ").append(t.memory()).append('\n');
                    sb.append("      why: ").append(p.location().explanation()).append('\n');
                }
                t.notes().forEach(n -> sb.append("      note: ").append(n).append('\n'));
            }
        }
        sb.append("\nwarnings the real run would give:").append(r.warnings().isEmpty() ? " none\n" : "\n");
        r.warnings().forEach(w -> sb.append("  - ").append(w).append('\n'));
        return sb.toString();
    }

    static String toJson(Report r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("config", r.config());
            g.writeStringField("root", r.root().toString());
            g.writeArrayFieldStart("rules");
            for (RulePlan rp : r.rules()) {
                Rule rule = rp.rule();
                g.writeStartObject();
                g.writeStringField("name", rule.name());
                g.writeStringField("match", rule.matchKeys());
                g.writeBooleanField("match_needs_class", needsClass(rule));
                g.writeStringField("device", rule.device().text());
                g.writeStringField("cpus_choice", rule.cpus().word());
                g.writeStringField("memory_policy", rule.memory().word());
                g.writeBooleanField("ignored", !rp.problems().isEmpty());
                g.writeArrayFieldStart("problems");
                for (ConfigProblem p : rp.problems()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                if (rp.placement() != null) {
                    writePlacement(g, rp.placement(), null, null);
                } else if (rp.failure() != null) {
                    g.writeStringField("unpinned", rp.failure());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("threads");
            for (DryRun.ThreadPlan t : r.threads()) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                if (t.match() == null) {
                    g.writeNullField("rule");
                } else {
                    g.writeStringField("rule", t.match().rule().name());
                    g.writeStringField("device", t.match().deviceName());
                }
                g.writeArrayFieldStart("undecided_rules");
                for (Rule u : t.undecided()) {
                    g.writeString(u.name());
                }
                g.writeEndArray();
                if (t.placement() != null) {
                    writePlacement(g, t.placement(), t.cpus(), t.memory());
                } else if (t.failure() != null) {
                    g.writeStringField("unpinned", t.failure());
                }
                g.writeArrayFieldStart("notes");
                for (String n : t.notes()) {
                    g.writeString(n);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String warning : r.warnings()) {
                g.writeString(warning);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    private static void writePlacement(JsonGenerator g, Placement p, CpuSet threadCpus, String threadMemory) throws IOException {
        g.writeNumberField("node", p.location().node());
        g.writeStringField("why", p.location().explanation());
        g.writeStringField("device_cpus", p.nodeCpus().toList());
        if (threadCpus != null) {
            g.writeStringField("cpus", threadCpus.toList());
            g.writeStringField("memory", threadMemory);
        } else {
            g.writeStringField("memory", p.describeMemory());
            g.writeArrayFieldStart("places");
            for (String place : places(p)) {
                g.writeString(place);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("exclusive_candidates");
            for (CpuSet c : p.exclusiveCandidates()) {
                g.writeString(c.toList());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String n : p.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
        }
    }
}
