package io.numaagent;

import io.numaagent.config.LogLevel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's logger: SLF4J with slf4j-simple, both inside the agent class loader, to stderr.
 * Every line starts with the logger name {@code numa-agent}.
 */
public final class AgentLog {

    public static final String NAME = "numa-agent";

    private AgentLog() {
    }

    /**
     * Sets the agent's level and creates its logger. slf4j-simple reads its settings file through
     * the context class loader, which at premain is the engine's; the agent's own loader is put
     * there for the duration. The level is set through a property that names only the agent's
     * logger, so an engine that uses slf4j-simple too is unaffected.
     */
    public static Logger init(LogLevel level) {
        System.setProperty("org.slf4j.simpleLogger.log." + NAME, level.name().toLowerCase(Locale.ROOT));
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(AgentLog.class.getClassLoader());
        try {
            return LoggerFactory.getLogger(NAME);
        } finally {
            self.setContextClassLoader(previous);
        }
    }
}
