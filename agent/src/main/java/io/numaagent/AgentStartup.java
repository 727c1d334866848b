package io.numaagent;

import io.numaagent.bootstrap.ThreadStartHook;
import io.numaagent.bootstrap.ThreadStartListener;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.DeviceKind;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Location;
import io.numaagent.config.Rule;
import io.numaagent.instrumentation.InstallReport;
import io.numaagent.instrumentation.ThreadStartInstrumentation;
import io.numaagent.placement.BindingHandle;
import io.numaagent.placement.DeferredPlacer;
import io.numaagent.placement.Planner;
import io.numaagent.placement.ThreadPlacer;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The agent's start-up work after the configuration: logging, the machine's topology, the rules
 * checked against it, the start-up report and the {@link ThreadPlacer}, which it hands to the
 * {@link DeferredPlacer} armed in premain. It runs on the {@code numa-agent-startup} thread while
 * the engine starts, or in premain itself with {@code strict = true}.
 *
 * <p>{@link #prepare} and {@link #instrumented} may finish in either order; whichever comes second
 * logs the instrumentation's problems and the closing "ready" line.
 */
final class AgentStartup implements Runnable {

    private static final ThreadStartListener NOTHING_TO_PLACE = new ThreadStartListener() {
        @Override
        public void threadStarted(Thread thread) {
        }

        @Override
        public void threadEnded(Thread thread) {
        }

        @Override
        public void threadRenamed(Thread thread) {
        }
    };

    private final LoadedConfig loaded;
    private final DeferredPlacer deferred;
    private final BindingHandle binding;
    private final boolean attached;
    private final boolean onBootPath;
    private final long premainStart;
    private final AtomicInteger toFinish = new AtomicInteger(2);
    private volatile Logger log;
    private volatile InstallReport report;
    private volatile int ruleCount;
    private volatile ThreadPlacer placer;

    AgentStartup(LoadedConfig loaded, DeferredPlacer deferred, BindingHandle binding, boolean attached, boolean onBootPath,
                 long premainStart) {
        this.loaded = loaded;
        this.deferred = deferred;
        this.binding = binding;
        this.attached = attached;
        this.onBootPath = onBootPath;
        this.premainStart = premainStart;
    }

    /** {@link #prepare}, as the start-up thread's body. */
    @Override
    public void run() {
        prepare();
    }

    /** Reads the machine, checks the rules, logs the report and arms the placer. Never throws. */
    void prepare() {
        ThreadStartListener ready = NOTHING_TO_PLACE;
        try {
            ready = placerFor(loaded.config());
        } catch (RuntimeException | LinkageError e) {
            if (log == null) {
                System.err.println(AgentLog.NAME + ": WARN start-up failed, no thread is pinned: " + e);
            } else {
                log.warn("start-up failed, no thread is pinned: {}", e.toString());
            }
        }
        try {
            for (String name : deferred.ready(ready)) {
                log.warn("thread '{}' left unpinned: it started before the agent was ready and, as a JDK or agent thread,"
                        + " could not wait", name);
            }
        } finally {
            finishIfLast();
        }
    }

    /** Called once the thread-start hook is woven and armed (or could not be). */
    void instrumented(InstallReport installReport) {
        report = installReport;
        finishIfLast();
    }

    private ThreadStartListener placerFor(AgentConfig config) {
        log = AgentLog.init(config.logLevel());
        for (ConfigProblem p : loaded.problems()) {
            log.warn("{} (this rule or key is ignored)", p.describe());
        }
        Topology topology;
        try {
            topology = TopologyReader.read(config.sysfsRoot(), System.getenv(), log.isInfoEnabled() || namesDevice(config));
        } catch (TopologyException e) {
            Location where = config.source().isPresent() ? Location.ofFile(config.source().get().toString())
                    : Location.ofSystemProperty(ConfigLoader.SYSFS_ROOT);
            AgentInstaller.stopIfStrict(config, List.of(new ConfigProblem(where, ConfigLoader.SYSFS_ROOT,
                    config.sysfsRoot().toString(), e.getMessage())));
            log.warn("cannot read the machine's topology, no thread is pinned: {}", e.getMessage());
            return NOTHING_TO_PLACE;
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
        AgentInstaller.stopIfStrict(config, machineProblems);
        for (ConfigProblem p : machineProblems) {
            log.warn("{} (this rule is ignored)", p.describe());
        }
        AgentConfig effective = config.withRules(rules);
        StartupReport.log(log, topology, effective);
        ruleCount = rules.size();
        if (rules.isEmpty()) {
            log.info("no rule to apply: no thread will be pinned");
            return NOTHING_TO_PLACE;
        }
        ThreadPlacer created = new ThreadPlacer(effective, planner, binding, topology.cpus(), log);
        placer = created;
        return created;
    }

    /**
     * Whether a rule places threads near a PCI device (a GPU, accelerator, NIC, NVMe or any PCI
     * function); if none does and the report is not printed, the machine is read without its devices.
     */
    private static boolean namesDevice(AgentConfig config) {
        for (Rule rule : config.rules()) {
            DeviceKind kind = rule.device().kind();
            if (kind != DeviceKind.NODE && kind != DeviceKind.CPUS) {
                return true;
            }
        }
        return false;
    }

    private void finishIfLast() {
        if (toFinish.decrementAndGet() != 0) {
            return;
        }
        Logger l = log != null ? log : AgentLog.init(loaded.config().logLevel());
        InstallReport r = report;
        for (String failure : r.failures()) {
            l.warn("could not instrument {}", failure);
        }
        // Thread subclasses are woven at their first start(), from now on or already before this.
        ThreadStartInstrumentation.failuresSinceInstallTo(new LateFailureLog(l));
        if (!onBootPath) {
            l.warn("the agent jar is not named numa-agent.jar, so it was added to the boot class path at run time,"
                    + " which turns off class data sharing for the application's classes (slower start): keep the name numa-agent.jar");
        }
        if (attached) {
            l.warn("attached to a running JVM: threads already running are not pinned, only threads started from now on");
        }
        reportAtExitIfAsked();
        l.info("ready {} ms after premain began: {} rule(s), hook {}", (System.nanoTime() - premainStart) / 1_000_000, ruleCount,
                ThreadStartHook.installed() == deferred ? "armed" : "NOT armed");
    }

    /** Logs a Thread subclass that could not be woven at its first start (on the thread that started it). */
    private static final class LateFailureLog implements Consumer<String> {
        private final Logger log;

        LateFailureLog(Logger log) {
            this.log = log;
        }

        @Override
        public void accept(String failure) {
            log.warn("could not instrument {} (its threads are not pinned)", failure);
        }
    }

    /**
     * With {@code -Dnuma-agent.report-at-exit=true}, one line on stderr when the JVM exits: how many
     * exclusive CPUs this JVM still holds and how many threads are still pinned; and a second: how
     * many Thread subclasses were woven at their first start, and the mean time that took. A diagnostic for
     * leak hunting (and the churn tests); outside the {@code numa.agent.} namespace because it is not
     * configuration.
     */
    static final String REPORT_AT_EXIT = "numa-agent.report-at-exit";

    private void reportAtExitIfAsked() {
        if (!Boolean.getBoolean(REPORT_AT_EXIT)) {
            return;
        }
        AgentInstaller.atExit("numa-agent-report-at-exit", new ReportAtExit(this));
    }

    /** A class, not a lambda: code on the start-up path avoids lambdas (each costs a cold JVM a generated class). */
    private static final class ReportAtExit implements Runnable {
        private final AgentStartup startup;

        ReportAtExit(AgentStartup startup) {
            this.startup = startup;
        }

        @Override
        public void run() {
            ThreadPlacer p = startup.placer;
            BindingHandle binding = startup.binding;
            System.err.println(AgentLog.NAME + " at exit: "
                    + (binding.now() == null ? 0 : binding.now().exclusive().leased()) + " exclusive CPU(s) leased, "
                    + (p == null ? 0 : p.pinned().size()) + " thread(s) pinned");
            System.err.println(AgentLog.NAME + " at exit: " + ThreadStartInstrumentation.lazyWeaveSummary());
        }
    }
}
