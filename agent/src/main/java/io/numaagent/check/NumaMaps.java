package io.numaagent.check;

import io.numaagent.binding.MemoryMode;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads {@code /proc/PID/numa_maps} and {@code /proc/PID/task/TID/numa_maps}. Each line is one mapping:
 * {@code ADDRESS POLICY [file=..|heap|stack|anon=..] N0=pages N1=pages .. kernelpagesize_kB=4}.
 *
 * <p>POLICY is the mapping's own policy (set with mbind) or, for a mapping without one, the policy of
 * the task whose file is read (kernel {@code show_numa_map} → {@code __get_vma_policy} falls back to
 * the task's). That is the only way another process can read a thread's memory policy: the policy
 * most lines of the thread's own numa_maps show is the thread's.
 */
public final class NumaMaps {

    /**
     * The kernel's policy words ({@code policy_modes[]} in mm/mempolicy.c), longest first: two of them
     * contain a space, so a line cannot simply be split at spaces.
     */
    private static final List<Map.Entry<String, MemoryMode>> MODE_WORDS = List.of(
            Map.entry("weighted interleave", MemoryMode.WEIGHTED_INTERLEAVE),
            Map.entry("prefer (many)", MemoryMode.PREFERRED_MANY),
            Map.entry("interleave", MemoryMode.INTERLEAVE),
            Map.entry("default", MemoryMode.DEFAULT),
            Map.entry("prefer", MemoryMode.PREFERRED),
            Map.entry("local", MemoryMode.LOCAL),
            Map.entry("bind", MemoryMode.BIND));

    private NumaMaps() {
    }

    /**
     * The bytes resident on each node, summed over every mapping ({@code N<node>=<pages>} times the
     * line's {@code kernelpagesize_kB}, so huge pages count at their size).
     */
    public static Map<Integer, Long> bytesPerNode(List<String> lines) {
        Map<Integer, Long> bytes = new TreeMap<>();
        for (String line : lines) {
            long pageBytes = 4096;
            Map<Integer, Long> pages = new HashMap<>();
            for (String token : line.split(" ")) {
                int eq = token.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = token.substring(0, eq);
                String value = token.substring(eq + 1);
                try {
                    if (key.equals("kernelpagesize_kB")) {
                        pageBytes = Long.parseLong(value) * 1024;
                    } else if (key.length() > 1 && key.charAt(0) == 'N' && isDigits(key.substring(1))) {
                        pages.merge(Integer.parseInt(key.substring(1)), Long.parseLong(value), Long::sum);
                    }
                } catch (NumberFormatException e) {
                    // a token of a newer kernel's format: not a page count
                }
            }
            long size = pageBytes;
            pages.forEach((node, n) -> bytes.merge(node, n * size, Long::sum));
        }
        return bytes;
    }

    /**
     * The task's own policy: the one most lines show (mappings with a policy of their own, such as a
     * heap the JVM interleaved with {@code -XX:+UseNUMA}, are few beside the libraries, stacks and
     * arenas that fall back to the task's). Empty when no line has a policy this parser knows.
     */
    public static Optional<MemoryPolicyState> taskPolicy(List<String> lines) {
        Map<MemoryPolicyState, Integer> votes = new HashMap<>();
        for (String line : lines) {
            policyOf(line).ifPresent(p -> votes.merge(p, 1, Integer::sum));
        }
        return votes.entrySet().stream()
                .max(Map.Entry.<MemoryPolicyState, Integer>comparingByValue()
                        // ties (a nearly empty file): prefer a real policy over default, deterministically
                        .thenComparing(e -> e.getKey().mode() != MemoryMode.DEFAULT)
                        .thenComparing(e -> e.getKey().describe()))
                .map(Map.Entry::getKey);
    }

    /** The policy field of one numa_maps line, e.g. {@code prefer:1}, {@code interleave=static:0-1}, {@code local}. */
    static Optional<MemoryPolicyState> policyOf(String line) {
        int space = line.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        return parsePolicy(line.substring(space + 1));
    }

    /** Parses a policy at the start of {@code text}; what follows it (after a space) is ignored. */
    static Optional<MemoryPolicyState> parsePolicy(String text) {
        for (Map.Entry<String, MemoryMode> word : MODE_WORDS) {
            if (!text.startsWith(word.getKey())) {
                continue;
            }
            String rest = text.substring(word.getKey().length());
            int end = rest.indexOf(' ');
            rest = end < 0 ? rest : rest.substring(0, end);
            // mode flags: "=static", "=relative" (and "=balancing" on newer kernels), before the node list
            if (rest.startsWith("=")) {
                int colon = rest.indexOf(':');
                rest = colon < 0 ? "" : rest.substring(colon);
            }
            if (rest.isEmpty()) {
                return Optional.of(new MemoryPolicyState(word.getValue(), CpuSet.EMPTY));
            }
            if (!rest.startsWith(":")) {
                continue; // e.g. "prefer" matched the start of "preferred-something" of a future kernel
            }
            try {
                return Optional.of(new MemoryPolicyState(word.getValue(), CpuSet.parseList(rest.substring(1))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
