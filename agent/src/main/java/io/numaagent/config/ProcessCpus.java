package io.numaagent.config;

import java.util.Locale;

/** What happens to the JVM's threads that no rule matches ({@code process.cpus}). */
public enum ProcessCpus {
    /** They keep every CPU the process was given (the default). */
    ALL,
    /** They are confined to the union of the CPUs of the nodes the matched workers were placed on. */
    UNION;

    /** The word written in the configuration file, e.g. {@code union}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
