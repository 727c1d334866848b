package io.numaagent.config;

import java.util.Locale;

/** How much the agent logs ({@code log.level}); {@link #OFF} logs nothing. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG, TRACE, OFF;

    /** The word written in the configuration file, e.g. {@code debug}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
