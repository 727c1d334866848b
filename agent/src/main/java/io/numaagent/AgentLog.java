package io.numaagent;

import io.numaagent.config.LogLevel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLoggerFactory;

/**
 * The agent's logger: SLF4J with slf4j-simple, both inside the agent class loader, to stderr.
 * Every line starts with the logger name {@code numa-agent}.
 */
public final class AgentLog {

    public static final String NAME = "numa-agent";

    /** Made once; guarded by the class lock. */
    private static Logger logger;

    private AgentLog() {
    }

    /**
     * Sets the agent's level and creates its logger; later calls return the same logger (as
     * slf4j-simple's factory did, which keeps the level of its first logger of a name). slf4j-simple
     * reads its settings file through the context class loader, which at premain is the engine's; the
     * agent's own loader is put there for the duration. The level is set through a property that
     * names only the agent's logger, so an engine that uses slf4j-simple too is unaffected.
     *
     * <p>The logger comes straight from slf4j-simple's factory, not through {@code LoggerFactory}: the
     * agent always uses slf4j-simple, and {@code LoggerFactory}'s provider search (a ServiceLoader
     * reading {@code META-INF/services} through a {@code jar:} URL connection, substitute loggers, a
     * fallback provider) cost every start some 40 classes. OpenHFT still goes through
     * {@code LoggerFactory} when it logs, and finds slf4j-simple already configured. Synchronized:
     * slf4j-simple's one-time configuration is not safe against two threads at once.
     */
    public static synchronized Logger init(LogLevel level) {
        if (logger != null) {
            return logger;
        }
        System.setProperty("org.slf4j.simpleLogger.log." + NAME, level.name().toLowerCase(Locale.ROOT));
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(AgentLog.class.getClassLoader());
        try {
            logger = new Factory().create(NAME);
            return logger;
        } finally {
            self.setContextClassLoader(previous);
        }
    }

    /** Reaches the factory's {@code createLogger} directly; its {@code getLogger} goes through a lambda. */
    private static final class Factory extends SimpleLoggerFactory {
        Logger create(String name) {
            return createLogger(name);
        }
    }
}
