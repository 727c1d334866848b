package io.numaagent.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a check run's output: the child programs print lines starting with an upper-case tag
 * ({@code RESULT}, {@code PROBE}, {@code SAMPLES}, ...); every other line came from the agent or the JVM.
 */
final class AgentOutput {

    private static final Pattern CHILD_LINE = Pattern.compile("^(RESULT|PROBE|SAMPLES|RAW|JDK|FEATURE) .*");

    private AgentOutput() {
    }

    static List<String> agentLines(ChildJvm.Result result) {
        List<String> lines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (!line.isBlank() && !CHILD_LINE.matcher(line).matches()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /**
     * Whether some agent line names a thread whose name starts with {@code threadNamePrefix}, quoted as the
     * agent quotes thread names ({@code pinned thread 'bench-one' tid ...}); the rule lines it prints at start
     * show the regex unquoted and do not count.
     */
    static boolean mentions(List<String> agentLines, String threadNamePrefix) {
        String quoted = "'" + threadNamePrefix;
        return agentLines.stream().anyMatch(line -> line.contains(quoted));
    }

    /** The child's PROBE lines, without the tag. */
    static String probe(ChildJvm.Result result) {
        List<String> probes = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("PROBE ")) {
                probes.add(line.substring(6));
            }
        }
        return probes.isEmpty() ? "(no probe line)" : String.join("; ", probes);
    }

    /** The value of {@code key=} in a space-separated line, or null. */
    static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return null;
    }
}
