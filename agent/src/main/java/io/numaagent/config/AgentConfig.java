package io.numaagent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's configuration, valid in every part: {@link ConfigLoader} leaves out what it could not
 * accept.
 *
 * @param source      the configuration file the agent argument named (even when it could not be
 *                    read: problems name it); empty when there was no argument
 * @param rules       in file order; the first rule that matches a thread wins
 * @param processCpus where the JVM's other threads may run
 * @param strict      a configuration problem stops the JVM at start
 * @param logLevel    how much the agent logs
 * @param sysfsRoot   the directory under which {@code sys/devices/...} is read (tests, dry runs)
 * @param lockDir     the directory of the cross-process exclusive-CPU lock files; always absolute
 */
public record AgentConfig(Optional<Path> source, List<Rule> rules, ProcessCpus processCpus, boolean strict,
        LogLevel logLevel, Path sysfsRoot, Path lockDir) {

    public static final Path DEFAULT_SYSFS_ROOT = Path.of("/");
    /**
     * On tmpfs, shared by every process of the machine whatever its {@code java.io.tmpdir} or
     * {@code TMPDIR}: lock files only exclude each other if every JVM looks in the same place.
     */
    public static final Path DEFAULT_LOCK_DIR = Path.of("/dev/shm/numa-agent");

    public AgentConfig {
        Objects.requireNonNull(source, "source");
        rules = List.copyOf(rules);
        Objects.requireNonNull(processCpus, "processCpus");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        Objects.requireNonNull(lockDir, "lockDir");
    }

    /** The same settings with other rules: those left after checking them against the machine. */
    public AgentConfig withRules(List<Rule> newRules) {
        return new AgentConfig(source, newRules, processCpus, strict, logLevel, sysfsRoot, lockDir);
    }

    /** No rules, every global key at its default. */
    public static AgentConfig defaults() {
        return new AgentConfig(Optional.empty(), List.of(), ProcessCpus.ALL, false, LogLevel.INFO,
                DEFAULT_SYSFS_ROOT, DEFAULT_LOCK_DIR);
    }
}
