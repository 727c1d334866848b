package io.numaagent.config;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean ...?" for unknown keys and words. Hand-written rather than taken from commons-text:
 * twenty lines do not justify a library in an agent that lives inside every engine's JVM.
 */
final class EditDistance {

    private EditDistance() {
    }

    /** Levenshtein distance (insert, delete, substitute each cost 1). */
    static int between(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * The candidate nearest to {@code written}, if it is near enough to be what was meant: at most a
     * third of its length away (and at least 2 edits allowed), so that {@code rule.gpu.thread_name} finds
     * {@code rule.gpu.thread-name} but {@code colour} finds nothing.
     */
    static Optional<String> nearest(String written, Collection<String> candidates) {
        // Comparing a 1 MiB "key" with every candidate would take seconds for nothing.
        if (written.length() > 200) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = between(written, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(2, best.length() / 3)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }
}
