package io.numaagent.config;

import java.util.Objects;

/**
 * Where a configuration value was written: a line of the configuration file
 * ({@code engine.properties:7}), the file as a whole ({@code engine.properties}, line 0), or a
 * system property ({@code -Dnuma.agent.rule.gpu.cpus}, line 0).
 *
 * @param file the configuration file as the agent argument named it, or {@code -Dnuma.agent.KEY}
 * @param line 1-based line number, or 0 when the location is not one line
 */
public record Location(String file, int line) {

    /** The prefix of system properties that override or add configuration keys. */
    public static final String SYSTEM_PROPERTY_PREFIX = "numa.agent.";

    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line + " is negative");
        }
    }

    /** A line of the configuration file. */
    public static Location ofLine(String file, int line) {
        return new Location(file, line);
    }

    /** The configuration file as a whole (it is missing, unreadable, too large, ...). */
    public static Location ofFile(String file) {
        return new Location(file, 0);
    }

    /** A {@code -Dnuma.agent.KEY=VALUE} system property; {@code key} is without the prefix. */
    public static Location ofSystemProperty(String key) {
        return new Location("-D" + SYSTEM_PROPERTY_PREFIX + key, 0);
    }

    public boolean isSystemProperty() {
        return file.startsWith("-D" + SYSTEM_PROPERTY_PREFIX);
    }

    /** The order a reader meets locations in: the file (as a whole, then by line), then the system properties. */
    static int compareInReaderOrder(Location a, Location b) {
        int c = Boolean.compare(a.isSystemProperty(), b.isSystemProperty());
        return c != 0 ? c : Integer.compare(a.line(), b.line());
    }

    /** {@code engine.properties:7}, {@code engine.properties} or {@code -Dnuma.agent.rule.gpu.cpus}. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
