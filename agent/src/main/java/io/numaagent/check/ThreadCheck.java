package io.numaagent.check;

import java.util.List;
import java.util.Optional;

/**
 * One thread compared with the rules.
 *
 * @param rule           the rule that matches (or may match) it
 * @param device         the device the rule names for it, e.g. {@code node:1}; empty when unknown
 * @param expectedCpus   what the rule places it on, e.g. {@code 2-3} or {@code one core of 0-3}
 * @param expectedMemory e.g. {@code preferred [1]}, {@code unchanged}
 * @param problems       why the kernel state differs from the rule (or is unknown), one line each
 */
public record ThreadCheck(TaskView task, Status status, Optional<String> rule, Optional<String> device,
        Optional<String> expectedCpus, Optional<String> expectedMemory, List<String> problems) {

    public ThreadCheck {
        problems = List.copyOf(problems);
    }

    /** How a thread stands against the rules. */
    public enum Status {
        /** A rule matches it and the kernel's CPUs and memory policy are what the rule says. */
        OK,
        /** A rule matches it and the kernel state differs. */
        MISMATCH,
        /**
         * A rule may match it, but /proc cannot tell: the name is cut to 15 bytes, or the rule also
         * names a class. Not counted either way.
         */
        POSSIBLE,
        /** No rule matches it. */
        UNMATCHED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
