package io.numaagent.check;

import io.numaagent.config.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a JVM was started with the agent, read from its command line and environment: the agent jar,
 * the configuration file named after {@code =}, and the {@code -Dnuma.agent.*} overrides. These are
 * exactly the two inputs of {@link io.numaagent.config.ConfigLoader#load}.
 *
 * @param agentJar         the {@code -javaagent:} jar whose file name contains {@code numa-agent}
 * @param configFile       its argument, resolved against the process's working directory
 * @param systemProperties every {@code -D} of the JVM options (later ones win, as in the JVM)
 */
public record AgentLaunch(Optional<String> agentJar, Optional<Path> configFile, Map<String, String> systemProperties) {

    /** JVM options that take the next argument as their value (the launcher's own list). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads",
            "--add-exports", "--add-opens", "--patch-module", "--source", "--enable-native-access");

    public AgentLaunch {
        systemProperties = Map.copyOf(systemProperties);
    }

    /** Whether the agent is loaded at all. */
    public boolean hasAgent() {
        return agentJar.isPresent();
    }

    /**
     * Reads the JVM options in the order the JVM applies them: {@code JAVA_TOOL_OPTIONS},
     * {@code JDK_JAVA_OPTIONS}, the command line up to the main class or {@code -jar JAR}, then
     * {@code _JAVA_OPTIONS}. Arguments after the main class belong to the program and are not read.
     */
    public static AgentLaunch of(ProcessView process) {
        List<String> options = new ArrayList<>();
        options.addAll(words(process.environment().get("JAVA_TOOL_OPTIONS")));
        options.addAll(words(process.environment().get("JDK_JAVA_OPTIONS")));
        List<String> cmdline = process.cmdline();
        for (int i = 1; i < cmdline.size(); i++) {
            String arg = cmdline.get(i);
            if (!arg.startsWith("-") || arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")
                    || arg.startsWith("--module=")) {
                break;
            }
            options.add(arg);
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        options.addAll(words(process.environment().get("_JAVA_OPTIONS")));

        Optional<String> jar = Optional.empty();
        Optional<Path> config = Optional.empty();
        Map<String, String> props = new LinkedHashMap<>();
        for (String option : options) {
            if (option.startsWith("-javaagent:") && jar.isEmpty()) {
                String spec = option.substring("-javaagent:".length());
                int eq = spec.indexOf('=');
                String path = eq < 0 ? spec : spec.substring(0, eq);
                if (Path.of(path).getFileName() != null && Path.of(path).getFileName().toString().contains("numa-agent")) {
                    jar = Optional.of(path);
                    if (eq >= 0 && !spec.substring(eq + 1).isBlank()) {
                        config = Optional.of(process.cwd().resolve(spec.substring(eq + 1).strip()).normalize());
                    }
                }
            } else if (option.startsWith("-D")) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option.substring(2) : option.substring(2, eq);
                props.put(key, eq < 0 ? "" : option.substring(eq + 1));
            }
        }
        return new AgentLaunch(jar, config, props);
    }

    /** Only the {@code numa.agent.*} properties: whether any rule or setting comes from them. */
    public boolean hasAgentProperties() {
        return systemProperties.keySet().stream().anyMatch(k -> k.startsWith(Location.SYSTEM_PROPERTY_PREFIX));
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }
}
