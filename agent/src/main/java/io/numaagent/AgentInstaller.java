package io.numaagent;

import io.numaagent.binding.Binding;
import io.numaagent.bootstrap.ThreadStartHook;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Location;
import io.numaagent.config.Rule;
import io.numaagent.instrumentation.InstallReport;
import io.numaagent.instrumentation.ThreadStartInstrumentation;
import io.numaagent.placement.BindingHandle;
import io.numaagent.placement.Planner;
import io.numaagent.placement.ThreadPlacer;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs in the agent class loader at premain. Everything a hook may need is made ready here,
 * before the hook is armed: the configuration, the topology, the rules' placements, JNA,
 * OpenHFT and libnuma. A hook that initialised lazily would load classes and start processes
 * inside engine threads, which is how Needle deadlocks the JVM at its first thread start.
 */
public final class AgentInstaller {

    static final String PROPERTY_PREFIX = "numa.agent.";

    private AgentInstaller() {
    }

    public static void install(String args, Instrumentation inst, File agentJar, boolean attached, boolean onBootPath) {
        long start = System.nanoTime();
        LoadedConfig loaded = ConfigLoader.load(args, agentProperties());
        AgentConfig config = loaded.config();
        List<ConfigProblem> problems = new ArrayList<>(loaded.problems());
        stopIfStrict(config, problems);
        Logger log = AgentLog.init(config.logLevel());
        problems.forEach(p -> log.warn("{} (this rule or key is ignored)", p.describe()));

        Topology topology;
        try {
            topology = TopologyReader.read(config.sysfsRoot(), System.getenv());
        } catch (TopologyException e) {
            ConfigProblem problem = new ConfigProblem(config.source().map(p -> Location.ofFile(p.toString()))
                    .orElse(Location.ofSystemProperty(ConfigLoader.SYSFS_ROOT)), ConfigLoader.SYSFS_ROOT,
                    config.sysfsRoot().toString(), e.getMessage());
            stopIfStrict(config, List.of(problem));
            log.warn("cannot read the machine's topology, no thread is pinned: {}", e.getMessage());
            return;
        }
        Planner planner = new Planner(topology);
        List<ConfigProblem> machineProblems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : config.rules()) {
            List<ConfigProblem> ruleProblems = planner.validate(rule);
            if (ruleProblems.isEmpty()) {
                rules.add(rule);
            }
            machineProblems.addAll(ruleProblems);
        }
        stopIfStrict(config, machineProblems);
        machineProblems.forEach(p -> log.warn("{} (this rule is ignored)", p.describe()));
        AgentConfig effective = config.withRules(rules);

        StartupReport.log(log, topology, effective);
        if (rules.isEmpty()) {
            log.info("no rule to apply: no thread will be pinned");
        }

        BindingHandle binding = new BindingHandle();
        if (!rules.isEmpty()) {
            startBindingLoader(binding, config, log);
        }
        ThreadPlacer placer = new ThreadPlacer(effective, planner, binding, topology.cpus(), log);
        InstallReport report = ThreadStartInstrumentation.install(inst, placer);
        report.failures().forEach(f -> log.warn("could not instrument {}", f));
        if (!onBootPath) {
            log.warn("the agent jar is not named numa-agent.jar, so it was added to the boot class path at run time,"
                    + " which turns off class data sharing for the application's classes (slower start): keep the name numa-agent.jar");
        }
        if (attached) {
            log.warn("attached to a running JVM: threads already running are not pinned, only threads started from now on");
        }
        reportAtExitIfAsked(binding, placer);
        log.info("ready in {} ms: {} rule(s), hook {}", (System.nanoTime() - start) / 1_000_000, rules.size(),
                ThreadStartHook.installed() == placer ? "armed" : "NOT armed");
    }

    /**
     * Loads JNA, OpenHFT and libnuma on a thread of its own, so that they do not add to the
     * engine's start (see {@link BindingHandle} for why this cannot deadlock). It starts before the
     * hook is armed, so it never passes through the hook itself.
     */
    private static void startBindingLoader(BindingHandle handle, AgentConfig config, Logger log) {
        Thread loader = new Thread(() -> {
            long start = System.nanoTime();
            Binding created = Binding.create(config.lockDir());
            for (String warning : created.warnings()) {
                log.warn(warning);
            }
            handle.complete(created);
            log.debug("native libraries loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
        }, "numa-agent-init");
        loader.setDaemon(true);
        handle.loadingOn(loader);
        loader.start();
    }

    /**
     * With {@code -Dnuma-agent.report-at-exit=true}, one line on stderr when the JVM exits: how many
     * exclusive CPUs this JVM still holds and how many threads are still pinned. A diagnostic for
     * leak hunting (and the churn tests); outside the {@code numa.agent.} namespace because it is not
     * configuration.
     */
    static final String REPORT_AT_EXIT = "numa-agent.report-at-exit";

    private static void reportAtExitIfAsked(BindingHandle binding, ThreadPlacer placer) {
        if (!Boolean.getBoolean(REPORT_AT_EXIT)) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(AgentLog.NAME + " at exit: "
                + (binding.now() == null ? 0 : binding.now().exclusive().leased()) + " exclusive CPU(s) leased, "
                + placer.pinned().size() + " thread(s) pinned"),
                "numa-agent-report-at-exit"));
    }

    /** {@code -Dnuma.agent.KEY=VALUE} system properties, without the prefix. */
    static Map<String, String> agentProperties() {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                props.put(name, System.getProperty(name));
            }
        }
        return props;
    }

    /** strict = true: the first problem is the one line the operator sees, and the JVM stops before main. */
    private static void stopIfStrict(AgentConfig config, List<ConfigProblem> problems) {
        if (config.strict() && !problems.isEmpty()) {
            System.err.println(problems.get(0) + " (strict = true: the JVM stops)");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
