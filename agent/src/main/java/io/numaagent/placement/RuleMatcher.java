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
            Matcher nameMatch = null;
            if (rule.threadName().isPresent()) {
                nameMatch = rule.threadName().get().matcher(threadName);
                if (!nameMatch.matches()) {
                    continue;
                }
            }
            if (rule.threadClass().isPresent() && !matchesHierarchy(rule.threadClass().get(), threadClass)) {
                continue;
            }
            if (rule.runnableClass().isPresent()
                    && (runnableClass == null || !rule.runnableClass().get().matches(runnableClass))) {
                continue;
            }
            return new ThreadMatch(rule, rule.device().expand(nameMatch == null ? null : nameMatch.toMatchResult()));
        }
        return null;
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
