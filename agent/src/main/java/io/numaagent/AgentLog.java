package io.numaagent;

import io.numaagent.config.LogLevel;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The agent's logger: an SLF4J {@link Logger} that writes one line per event to stderr, in
 * slf4j-simple's layout with the agent's settings ({@code WARN numa-agent - message}, then the
 * stack trace of a throwable). Every line starts with the level and the logger name {@code numa-agent}.
 *
 * <p>Why not slf4j-simple's own logger, which wrote these lines before: its one-time configuration
 * runs in every JVM the agent starts in, on the start-up thread, and cost a cold JVM about 10 ms
 * (its classes, a lambda, and its settings file read through a {@code jar:} URL connection; measured
 * on the build machine, 12-18 ms for the whole of the former {@code init}). The line itself is
 * slf4j's own {@link MessageFormatter}, as in slf4j-simple. slf4j-simple stays in the jar for OpenHFT,
 * which logs through {@code LoggerFactory} (it is loaded on a thread of the agent's whose context
 * class loader is the agent's, so slf4j-simple reads the agent's {@code simplelogger.properties}).
 */
public final class AgentLog {

    public static final String NAME = "numa-agent";

    /** Made once; guarded by the class lock. */
    private static Logger logger;

    private AgentLog() {
    }

    /**
     * Creates the agent's logger with {@code level}; later calls return the same logger (the first
     * level wins, as it did with slf4j-simple's factory).
     */
    public static synchronized Logger init(LogLevel level) {
        if (logger == null) {
            logger = new StderrLogger(level);
        }
        return logger;
    }

    /** slf4j-simple's line with the agent's settings: no date, no thread name, level not in brackets. */
    private static final class StderrLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        /** Events at this level or more severe are written; {@code OFF} writes none. */
        private final int threshold;

        StderrLogger(LogLevel level) {
            this.name = NAME;
            this.threshold = level == LogLevel.OFF ? Integer.MAX_VALUE : toSlf4j(level).toInt();
        }

        /** A switch, not {@code Level.valueOf}: that reads the enum's values by reflection, which spins method handles on JDK 18+. */
        private static Level toSlf4j(LogLevel level) {
            switch (level) {
                case ERROR:
                    return Level.ERROR;
                case WARN:
                    return Level.WARN;
                case INFO:
                    return Level.INFO;
                case DEBUG:
                    return Level.DEBUG;
                default:
                    return Level.TRACE;
            }
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                                   Throwable throwable) {
            String line = level.name() + ' ' + NAME + " - " + MessageFormatter.basicArrayFormat(messagePattern, arguments);
            PrintStream err = System.err;
            synchronized (err) {
                err.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(err);
                }
                err.flush();
            }
        }
    }
}
