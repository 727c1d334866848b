package io.numaagent.placement;

import io.numaagent.config.ClassNamePattern;
import io.numaagent.config.Rule;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Finds the first rule, in file order, whose every match key holds for a thread. Runs in every
 * starting thread, so it allocates nothing for a thread that no rule names.
 */
public final class RuleMatcher {

    private final Rule[] rules;

    public RuleMatcher(List<Rule> rules) {
        this.rules = rules.toArray(new Rule[0]);
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /**
     * @param runnableClass the class name of the Runnable the thread was built with, or null
     */
    public ThreadMatch match(String threadName, Class<?> threadClass, String runnableClass) {
        for (Rule rule : rules) {
            Matcher nameMatch = nameMatch(rule, threadName);
            if (nameMatch == NO_MATCH) {
                continue;
            }
            if (rule.threadClass().isPresent() && !matchesHierarchy(rule.threadClass().get(), threadClass)) {
                continue;
            }
            if (rule.runnableClass().isPresent()
                    && (runnableClass == null || !rule.runnableClass().get().matches(runnableClass))) {
                continue;
            }
            return matched(rule, nameMatch);
        }
        return null;
    }

    /**
     * What the dry run can tell from a thread's name alone: the first rule whose keys all hold for
     * the name and that has no class key, and before it every rule whose name key holds (or that
     * has none) but that also needs a thread or Runnable class, which a name cannot settle.
     */
    public NameMatch matchName(String threadName) {
        List<Rule> undecided = new java.util.ArrayList<>();
        for (Rule rule : rules) {
            Matcher nameMatch = nameMatch(rule, threadName);
            if (nameMatch == NO_MATCH) {
                continue;
            }
            if (rule.threadClass().isPresent() || rule.runnableClass().isPresent()) {
                undecided.add(rule);
                continue;
            }
            return new NameMatch(matched(rule, nameMatch), undecided);
        }
        return new NameMatch(null, undecided);
    }

    /**
     * @param match     the rule the name settles, or null
     * @param undecided rules tried before it that depend on the thread's class or Runnable: if one
     *                  holds, it wins instead
     */
    public record NameMatch(ThreadMatch match, List<Rule> undecided) {
        public NameMatch {
            undecided = List.copyOf(undecided);
        }
    }

    /** A matcher no rule's regex ever returns: the rule's name key fails. */
    private static final Matcher NO_MATCH = java.util.regex.Pattern.compile("").matcher("");

    /** The rule's name regex matched over the whole name; null when the rule has no name key; else {@link #NO_MATCH}. */
    private static Matcher nameMatch(Rule rule, String threadName) {
        if (rule.threadName().isEmpty()) {
            return null;
        }
        Matcher m = rule.threadName().get().matcher(threadName);
        return m.matches() ? m : NO_MATCH;
    }

    private static ThreadMatch matched(Rule rule, Matcher nameMatch) {
        return new ThreadMatch(rule, rule.device().expand(nameMatch == null ? null : nameMatch.toMatchResult()));
    }

    private static boolean matchesHierarchy(ClassNamePattern pattern, Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (pattern.matches(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
