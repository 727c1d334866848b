package io.numaagent;

import io.numaagent.binding.Binding;
import io.numaagent.binding.NativeAccess;
import io.numaagent.bootstrap.AgentEntry;
import io.numaagent.bootstrap.AgentStarter;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.ConfigProblem;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Rule;
import io.numaagent.instrumentation.ThreadStartInstrumentation;
import io.numaagent.placement.BindingHandle;
import io.numaagent.placement.DeferredPlacer;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Runs in the agent class loader at premain, and does there only what must be done before the
 * engine's {@code main}: read the configuration (strict mode stops the JVM on a bad one), start the
 * threads that prepare the rest, and weave the thread-start hook, armed with a
 * {@link DeferredPlacer}. Everything else (logging, the machine's topology, the plan, the start-up
 * report) is prepared on an agent thread while the engine starts, and the native calls (the agent's
 * JNI library, or JNA) on a second one, started when the first thread a rule matches needs them; a
 * worker that starts before they are done waits inside itself, bounded (see {@link DeferredPlacer}
 * and {@link BindingHandle}). With {@code strict = true} the machine is read in premain too, so that
 * a rule the machine cannot satisfy stops the JVM before {@code main}.
 *
 * <p>Lazy initialisation inside engine threads is avoided on purpose: it would load classes and start
 * processes in whatever thread started first, which is how Needle deadlocks the JVM at its first
 * thread start. The loading itself runs on the agent's own threads, which wait for no engine thread:
 * the start-up thread is started before the hook is armed, and the native loader, started later by
 * the first matched worker, passes through the hook but is never pinned and never waits for itself.
 */
public final class AgentInstaller {

    /** How long the JVM's exit waits for an unfinished start-up report, so that its warnings are not lost. */
    private static final long REPORT_AT_EXIT_WAIT_MILLIS = 5_000;

    static {
        // premain reaches install through this, not by reflection (see AgentStarter).
        AgentEntry.register(new Starter());
    }

    private AgentInstaller() {
    }

    private static final class Starter implements AgentStarter {
        @Override
        public void start(String args, Instrumentation inst, File agentJar, boolean attached, boolean onBootPath) {
            install(args, inst, agentJar, attached, onBootPath);
        }
    }

    public static void install(String args, Instrumentation inst, File agentJar, boolean attached, boolean onBootPath) {
        long start = System.nanoTime();
        LoadedConfig loaded = ConfigLoader.load(args, ConfigLoader.agentSystemProperties());
        AgentConfig config = loaded.config();
        if (config.strict() && !loaded.problems().isEmpty()) {
            stop(loaded.problems().get(0));
        }
        DeferredPlacer deferred = new DeferredPlacer(config.rules());
        BindingHandle binding = new BindingHandle();
        AgentStartup startup = new AgentStartup(loaded, deferred, binding, attached, onBootPath, start);
        if (config.strict()) {
            // A rule the machine cannot satisfy must stop the JVM before main: read it now, and load
            // the native libraries only after, so that the stop is the one line the operator sees
            // (JDK 24+ prints a native-access warning when JNA loads).
            startup.prepare();
            prepareBindingLoaderIfRules(binding, config);
        } else {
            prepareBindingLoaderIfRules(binding, config);
            Thread thread = new Thread(startup, "numa-agent-startup");
            thread.setDaemon(true);
            deferred.startupOn(thread);
            thread.start();
            waitAtExitFor(thread);
        }
        startup.instrumented(ThreadStartInstrumentation.install(inst, deferred, matchesRunnables(config), attached));
    }

    /** Whether a rule gives each thread a core or a CPU of its own (only then is the lock directory opened). */
    private static boolean leasesCpus(AgentConfig config) {
        for (Rule rule : config.rules()) {
            if (rule.cpus().exclusive()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a rule matches threads by their Runnable's class (only then is java.lang opened to read it). */
    private static boolean matchesRunnables(AgentConfig config) {
        for (Rule rule : config.rules()) {
            if (rule.runnableClass().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Prepares the thread that loads the native calls (see {@link BindingHandle} for why this
     * cannot deadlock). It is created here, so it inherits the premain thread's group and context,
     * and started by the first thread a rule matches (the placer never pins it).
     */
    private static void prepareBindingLoaderIfRules(BindingHandle handle, AgentConfig config) {
        if (config.rules().isEmpty()) {
            return;
        }
        Thread loader = new Thread(new NativeLoader(handle, config, NativeAccess.ofAgent()), "numa-agent-native-init");
        loader.setDaemon(true);
        handle.loadOnFirstUse(loader);
    }

    // The Runnables below are classes, not lambdas: premain runs in every JVM, and each lambda
    // call site costs a cold JVM a generated class (about a millisecond).

    private static final class NativeLoader implements Runnable {
        private final BindingHandle handle;
        private final AgentConfig config;
        private final Optional<Boolean> nativeAccessAtStart;

        NativeLoader(BindingHandle handle, AgentConfig config, Optional<Boolean> nativeAccessAtStart) {
            this.handle = handle;
            this.config = config;
            this.nativeAccessAtStart = nativeAccessAtStart;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            Logger log = AgentLog.init(config.logLevel());
            // OpenHFT (loaded on old glibc only) logs through SLF4J, and slf4j-simple reads its settings
            // through the context class loader: the agent's own, on this thread of the agent's.
            Thread.currentThread().setContextClassLoader(AgentInstaller.class.getClassLoader());
            Binding created = Binding.create(config.lockDir(), leasesCpus(config), nativeAccessAtStart);
            // A program that ends while this thread is still loading JNA makes JNA fail with "Shutdown
            // in progress"; that is no fault of the machine, and nothing is pinned any more: say nothing.
            if (!created.warnings().isEmpty() && !exiting()) {
                for (String warning : created.warnings()) {
                    log.warn(warning);
                }
            }
            handle.complete(created);
            log.debug("native calls ready in {} ms, through {}", (System.nanoTime() - start) / 1_000_000, created.nativeCalls());
        }
    }

    /**
     * A program shorter than the start-up work would otherwise exit before the start-up report and
     * its warnings are logged; the JVM's exit waits for them, bounded.
     */
    private static void waitAtExitFor(Thread startup) {
        atExit("numa-agent-exit", new Joiner(startup));
    }

    private static final class Joiner implements Runnable {
        private final Thread startup;

        Joiner(Thread startup) {
            this.startup = startup;
        }

        @Override
        public void run() {
            try {
                startup.join(REPORT_AT_EXIT_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A shutdown hook, unless the JVM is already shutting down (then there is nothing left to wait for). */
    static void atExit(String name, Runnable action) {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(action, name));
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already
        }
    }

    /** Whether the JVM is running its shutdown hooks (then no hook can be added, which is how it is asked). */
    static boolean exiting() {
        Thread probe = new Thread(NOTHING, "numa-agent-exit-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    private static final Runnable NOTHING = new Runnable() {
        @Override
        public void run() {
        }
    };

    /** strict = true: the first problem is the one line the operator sees, and the JVM stops before main. */
    static void stopIfStrict(AgentConfig config, List<ConfigProblem> problems) {
        if (config.strict() && !problems.isEmpty()) {
            stop(problems.get(0));
        }
    }

    private static void stop(ConfigProblem problem) {
        System.err.println(problem + " (strict = true: the JVM stops)");
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }
}
