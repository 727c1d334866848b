package io.numaagent.config;

import java.util.Map;
import java.util.Objects;

/**
 * One problem with the configuration, printed as one line that names where it was written, the
 * key, the value and what would be valid, e.g.
 * {@code numa-agent: engine.properties:7: rule.gpu.memory = 'prefered' is not valid; expected one
 * of preferred, bind, interleave, local, none}.
 *
 * @param location where the offending value (or file) is
 * @param key      the full key, e.g. {@code rule.gpu.memory}; {@code rule.gpu} for a problem with a
 *                 whole rule; {@code null} for a problem with the file itself
 * @param value    the value as written (trimmed), or {@code null} when the problem is not about one value
 * @param message  what is wrong and what would be valid; follows the value in the line
 */
public record ConfigProblem(Location location, String key, String value, String message) {

    /** Values longer than this are cut in the line: a 1 MiB regex must not become a 1 MiB log line. */
    private static final int MAX_SHOWN_VALUE = 200;

    public ConfigProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /**
     * A problem the lead finds after loading, against the machine (no {@code gpu:7} here, CPUs outside
     * the process's allowed set): same one-line format, located where the rule wrote the key.
     *
     * @param keySuffix e.g. {@code device} or {@code cpus}; if the rule did not write that key, the
     *                  problem is located at the rule's first line
     */
    public static ConfigProblem forRule(Rule rule, String keySuffix, String value, String message) {
        Location where = rule.locations().get(keySuffix);
        if (where == null) {
            where = rule.firstLocation();
        }
        return new ConfigProblem(where, Rule.KEY_PREFIX + rule.name() + "." + keySuffix, value, message);
    }

    /** The one line, starting with {@code numa-agent: }; never contains a line break. */
    @Override
    public String toString() {
        return "numa-agent: " + describe();
    }

    /** The line without its {@code numa-agent: } prefix, for the agent's logger, which names itself. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        appendPrintable(sb, location.toString(), Integer.MAX_VALUE);
        sb.append(": ");
        if (key != null) {
            appendPrintable(sb, key, MAX_SHOWN_VALUE);
            if (value != null) {
                sb.append(" = '");
                appendPrintable(sb, value, MAX_SHOWN_VALUE);
                sb.append('\'');
            }
            sb.append(' ');
        }
        appendPrintable(sb, message, Integer.MAX_VALUE);
        return sb.toString();
    }

    private static final Map<Character, String> ESCAPES = Map.of('\n', "\\n", '\r', "\\r", '\t', "\\t");

    /**
     * Appends text with control characters escaped (a value from {@code -D} may hold a newline, one
     * from a file may hold a NUL or an escape sequence) and cut to {@code max} characters.
     */
    static void appendPrintable(StringBuilder sb, String text, int max) {
        int n = Math.min(text.length(), max);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            String escape = ESCAPES.get(c);
            if (escape != null) {
                sb.append(escape);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                appendUnicodeEscape(sb, c);
            } else {
                sb.append(c);
            }
        }
        if (text.length() > max) {
            sb.append("...(").append(text.length()).append(" characters)");
        }
    }

    /**
     * A backslash, 'u' and four lower-case hex digits, as {@code String.format} with {@code %04x} would
     * write them, without loading the Formatter at start-up.
     */
    static void appendUnicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) {
            sb.append('0');
        }
        sb.append(hex);
    }
}
