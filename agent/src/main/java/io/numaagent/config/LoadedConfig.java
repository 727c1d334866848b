package io.numaagent.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link ConfigLoader#load}: the configuration to use and every problem found, in the
 * order they were written (file problems by line, then system properties). Bad rules are already
 * left out of {@link #config()}; bad global values are already replaced by their defaults.
 */
public record LoadedConfig(AgentConfig config, List<ConfigProblem> problems) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        problems = List.copyOf(problems);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** True when {@code strict = true} and there is a problem: the installer stops the JVM with {@link #firstProblemLine()}. */
    public boolean mustStop() {
        return config.strict() && hasProblems();
    }

    /** The line to print when stopping, e.g. {@code numa-agent: engine.properties:7: ...}. */
    public Optional<String> firstProblemLine() {
        return problems.isEmpty() ? Optional.empty() : Optional.of(problems.get(0).toString());
    }
}
