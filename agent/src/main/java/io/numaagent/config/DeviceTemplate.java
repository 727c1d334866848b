package io.numaagent.config;

import io.numaagent.topology.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * The device of a rule as written, {@code KIND:ARGUMENT} ({@code gpu:N accel:N net:IFACE nvme:NAME
 * pci:BDF node:N cpus:LIST}), possibly with {@code $1..$9} standing for groups of the rule's
 * thread-name regex ({@code gpu:$1}, {@code net:eth$1}).
 *
 * <p>Only the syntax is checked here. Whether the device exists on this machine, and whether a CPU
 * list lies inside what the process may use, the lead checks against the topology (and reports with
 * {@link ConfigProblem#forRule}).
 *
 * <p>Parsing runs in premain: plain loops, no lambdas or streams (each costs a cold JVM a generated class).
 */
public final class DeviceTemplate {

    /** Linux CPU ids stay far below this; a larger id is a typo, and would make a huge bit set. */
    static final int MAX_CPU_ID = 1 << 16;

    private static final String EXPECTED_FORMS =
            "expected one of gpu:N, accel:N, net:IFACE, nvme:NAME, pci:BDF, node:N, cpus:LIST (N may be $1..$9)";
    private static final Pattern PCI_ADDRESS =
            Pattern.compile("(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");
    /** Linux IFNAMSIZ is 16 with the terminating NUL. */
    private static final int MAX_INTERFACE_NAME = 15;

    private final String text;
    private final DeviceKind kind;
    /** Literal text around the group references: {@code literals.length == groups.length + 1}. */
    private final String[] literals;
    private final int[] groups;
    /** The expansion when there are no group references, computed once (normalised for pci). */
    private final String constant;

    private DeviceTemplate(String text, DeviceKind kind, String[] literals, int[] groups, String constant) {
        this.text = text;
        this.kind = kind;
        this.literals = literals;
        this.groups = groups;
        this.constant = constant;
    }

    /**
     * @param text       the value of {@code rule.NAME.device}, trimmed
     * @param groupCount the number of groups of the rule's thread-name regex, or -1 when the rule has
     *                   no thread-name regex
     * @throws IllegalArgumentException whose message says what is wrong and what is valid (it follows
     *                                  the value in a {@link ConfigProblem} line)
     */
    public static DeviceTemplate parse(String text, int groupCount) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty; " + EXPECTED_FORMS);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("has no kind; " + EXPECTED_FORMS);
        }
        String kindWord = text.substring(0, colon);
        DeviceKind kind = kindOf(kindWord);
        String argument = text.substring(colon + 1);
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("has nothing after '" + kindWord + ":'; " + EXPECTED_FORMS);
        }

        List<String> literals = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c != '$') {
                literal.append(c);
                continue;
            }
            char next = i + 1 < argument.length() ? argument.charAt(i + 1) : ' ';
            if (next < '1' || next > '9') {
                throw new IllegalArgumentException("has a '$' not followed by a group number; expected $1..$9");
            }
            int group = next - '0';
            if (groupCount < 0) {
                throw new IllegalArgumentException("uses $" + group
                        + " but the rule has no thread-name regex to take groups from; add rule.NAME.thread-name"
                        + " with a group such as (\\d+), or write the device without $");
            }
            if (group > groupCount) {
                throw new IllegalArgumentException("uses $" + group + " but the thread-name regex has "
                        + (groupCount == 0 ? "no groups; add one such as (\\d+)" : groupCount
                        + (groupCount == 1 ? " group; expected $1" : " groups; expected $1..$" + groupCount)));
            }
            literals.add(literal.toString());
            literal.setLength(0);
            groups.add(group);
            i++;
        }
        literals.add(literal.toString());

        String constant = null;
        if (groups.isEmpty()) {
            constant = kind.word() + ":" + checkArgument(kind, argument);
        } else {
            checkTemplatedArgument(kind, argument, literals);
        }
        int[] groupArray = new int[groups.size()];
        for (int i = 0; i < groupArray.length; i++) {
            groupArray[i] = groups.get(i);
        }
        return new DeviceTemplate(text, kind, literals.toArray(new String[0]), groupArray, constant);
    }

    private static DeviceKind kindOf(String word) {
        for (DeviceKind kind : DeviceKind.values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        List<String> words = new ArrayList<>();
        for (DeviceKind kind : DeviceKind.values()) {
            words.add(kind.word());
        }
        Optional<String> near = EditDistance.nearest(word.toLowerCase(Locale.ROOT), words);
        throw new IllegalArgumentException("has kind '" + word + "'"
                + (near.isPresent() ? " (did you mean " + near.get() + "?)" : "") + "; " + EXPECTED_FORMS);
    }

    /** Checks a literal argument; returns it, normalised where the kernel has one spelling. */
    private static String checkArgument(DeviceKind kind, String argument) {
        switch (kind) {
            case GPU, ACCEL, NODE -> {
                if (!isNonNegativeInt(argument)) {
                    throw new IllegalArgumentException("needs a non-negative integer or $1..$9 after '"
                            + kind.word() + ":'; expected e.g. " + kind.word() + ":0 or " + kind.word() + ":$1");
                }
                return argument;
            }
            case NET -> {
                if (argument.length() > MAX_INTERFACE_NAME || argument.equals(".") || argument.equals("..")
                        || !onlyInterfaceNameCharacters(argument)) {
                    throw new IllegalArgumentException("is not a network interface name; expected up to "
                            + MAX_INTERFACE_NAME + " characters without '/', ':' or spaces, e.g. net:eth0 or net:ens1f0");
                }
                return argument;
            }
            case NVME -> {
                if (!onlyCharacters(argument, "-_.")) {
                    throw new IllegalArgumentException("is not an NVMe device name; expected letters, digits, - _ or ., "
                            + "e.g. nvme:nvme0 or nvme:nvme0n1");
                }
                return argument;
            }
            case PCI -> {
                Matcher m = PCI_ADDRESS.matcher(argument);
                if (!m.matches() || Integer.parseInt(m.group(3), 16) > 0x1f) {
                    throw new IllegalArgumentException("is not a PCI address; expected DOMAIN:BUS:DEVICE.FUNCTION or "
                            + "BUS:DEVICE.FUNCTION in hex (device 00-1f, function 0-7), e.g. pci:0000:3b:00.0");
                }
                // The spelling of /sys/bus/pci/devices: lower case, the domain at least four digits.
                String domain = m.group(1) == null ? "0000" : m.group(1);
                return (domain + ":" + m.group(2) + ":" + m.group(3) + "." + m.group(4)).toLowerCase(Locale.ROOT);
            }
            case CPUS -> {
                String problem = cpuListProblem(argument);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                return argument;
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void checkTemplatedArgument(DeviceKind kind, String argument, List<String> literals) {
        String literalText = String.join("", literals);
        boolean valid = switch (kind) {
            // "a non-negative integer or a $N": a group must stand alone, not glued to digits.
            case GPU, ACCEL, NODE -> literals.size() == 2 && literalText.isEmpty();
            case NET -> onlyInterfaceNameCharacters(literalText);
            case NVME -> onlyCharacters(literalText, "-_.");
            case PCI -> onlyHexAnd(literalText, ":.");
            case CPUS -> onlyDigitsAnd(literalText, ",-:");
        };
        if (!valid) {
            throw new IllegalArgumentException(switch (kind) {
                case GPU, ACCEL, NODE -> "needs a non-negative integer or a single $1..$9 after '" + kind.word()
                        + ":'; expected e.g. " + kind.word() + ":0 or " + kind.word() + ":$1";
                case NET -> "is not a network interface name around its $ groups; expected no '/', ':' or spaces, e.g. net:eth$1";
                case NVME -> "is not an NVMe device name around its $ groups; expected letters, digits, - _ or ., e.g. nvme:nvme$1n1";
                case PCI -> "is not a PCI address around its $ groups; expected hex digits, ':' and '.', e.g. pci:0000:$1:00.0";
                case CPUS -> "is not a CPU list around its $ groups; expected digits, ',', '-' and ':', e.g. cpus:$1";
            });
        }
    }

    /** Null when {@code list} is a non-empty cpulist of sane ids, else the message. */
    static String cpuListProblem(String list) {
        // CpuSet.parseList would faithfully build a set of two billion CPUs from "0-2000000000".
        for (int i = 0; i < list.length(); ) {
            if (Character.isDigit(list.charAt(i))) {
                int end = i;
                while (end < list.length() && Character.isDigit(list.charAt(end))) {
                    end++;
                }
                if (!isNonNegativeInt(list.substring(i, end)) || Integer.parseInt(list.substring(i, end)) >= MAX_CPU_ID) {
                    return "has a CPU id or stride above " + (MAX_CPU_ID - 1) + "; expected a CPU list such as 0-3,8,10-11";
                }
                i = end;
            } else {
                i++;
            }
        }
        try {
            if (CpuSet.parseList(list).isEmpty()) {
                return "is an empty CPU list; expected ids and ranges such as 0-3,8,10-11";
            }
        } catch (IllegalArgumentException e) {
            return "is not a CPU list; expected ids and ranges such as 0-3,8,10-11 (or 0-15:2 for every other)";
        }
        return null;
    }

    private static boolean isNonNegativeInt(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(s) <= Integer.MAX_VALUE;
    }

    /** As the kernel's dev_valid_name: no '/', ':' or white space. */
    private static boolean onlyInterfaceNameCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c) || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyHexAnd(String s, String punctuation) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, 16) < 0 && punctuation.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyDigitsAnd(String s, String punctuation) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && punctuation.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyCharacters(String s, String punctuation) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || punctuation.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The device for one thread, e.g. {@code gpu:3}: {@code $N} replaced by group N of the thread name's
     * match (a group that did not take part, or a missing match, gives the empty text: the device then
     * does not exist and the lead reports it; nothing here throws into an engine thread). A PCI address
     * without groups comes out in sysfs spelling ({@code 0000:3b:00.0}).
     */
    public String expand(MatchResult groupsOrNull) {
        if (constant != null) {
            return constant;
        }
        StringBuilder sb = new StringBuilder(text.length() + 8).append(kind.word()).append(':');
        appendArgument(sb, groupsOrNull);
        return sb.toString();
    }

    /** The part after {@code KIND:} of {@link #expand}, e.g. {@code 3} or {@code eth1}. */
    public String expandArgument(MatchResult groupsOrNull) {
        if (constant != null) {
            return constant.substring(kind.word().length() + 1);
        }
        StringBuilder sb = new StringBuilder(text.length());
        appendArgument(sb, groupsOrNull);
        return sb.toString();
    }

    private void appendArgument(StringBuilder sb, MatchResult match) {
        for (int i = 0; i < groups.length; i++) {
            sb.append(literals[i]);
            if (match != null && groups[i] <= match.groupCount()) {
                String g = match.group(groups[i]);
                if (g != null) {
                    sb.append(g);
                }
            }
        }
        sb.append(literals[groups.length]);
    }

    public DeviceKind kind() {
        return kind;
    }

    /** Whether the device depends on the thread name ({@code $1..$9}). */
    public boolean isTemplated() {
        return groups.length > 0;
    }

    /** The device as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceTemplate other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
