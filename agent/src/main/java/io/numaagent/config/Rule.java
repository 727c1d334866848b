package io.numaagent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * One placement rule: which threads ({@code thread-name}, {@code thread-class}, {@code runnable-class};
 * every one given must hold) go near which device, on which of its CPUs, with which memory policy.
 * A rule always has a device and at least one match key.
 *
 * <p>How the hot path uses it: {@code threadName().get().matcher(name).matches()} (the regex must match
 * the whole name), then {@link ClassNamePattern#matches(String)} on the thread's class and each
 * superclass, and on the Runnable's class; {@link DeviceTemplate#expand} with the name's match gives the
 * device.
 *
 * @param name      the NAME in {@code rule.NAME.*}
 * @param locations key suffix (e.g. {@code device}) to where it was written; in the order written
 */
public record Rule(String name, Optional<Pattern> threadName, Optional<ClassNamePattern> threadClass,
        Optional<ClassNamePattern> runnableClass, DeviceTemplate device, CpuChoice cpus, MemoryPolicy memory,
        Map<String, Location> locations) {

    public static final String KEY_PREFIX = "rule.";
    public static final String THREAD_NAME = "thread-name";
    public static final String THREAD_CLASS = "thread-class";
    public static final String RUNNABLE_CLASS = "runnable-class";
    public static final String DEVICE = "device";
    public static final String CPUS = "cpus";
    public static final String MEMORY = "memory";
    /** Every key suffix a rule may have, in the order the documentation lists them. */
    public static final List<String> KEY_SUFFIXES = List.of(THREAD_NAME, THREAD_CLASS, RUNNABLE_CLASS, DEVICE, CPUS, MEMORY);
    /** What a rule name may be made of: it sits between two dots of a key (see {@link #isValidName}). */
    public static final Pattern NAME_SYNTAX = Pattern.compile("[A-Za-z0-9_-]+");

    public Rule {
        Objects.requireNonNull(name, "name");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("rule name '" + name + "' is not valid; expected letters, digits, _ or -");
        }
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(threadClass, "threadClass");
        Objects.requireNonNull(runnableClass, "runnableClass");
        if (threadName.isEmpty() && threadClass.isEmpty() && runnableClass.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + " has no match key");
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(memory, "memory");
        // Map.copyOf would lose the order in which the keys were written.
        locations = Collections.unmodifiableMap(new LinkedHashMap<>(locations));
    }

    /**
     * The match keys as the operator reads them, e.g. {@code thread-name gpu-worker-\d+ and thread-class
     * com.x.Worker}: for the start-up report and the plan. Loops, no lambdas: it runs at start-up.
     */
    public String matchKeys() {
        StringJoiner match = new StringJoiner(" and ");
        if (threadName.isPresent()) {
            match.add(THREAD_NAME + " " + threadName.get().pattern());
        }
        if (threadClass.isPresent()) {
            match.add(THREAD_CLASS + " " + threadClass.get());
        }
        if (runnableClass.isPresent()) {
            match.add(RUNNABLE_CLASS + " " + runnableClass.get());
        }
        return match.toString();
    }

    /** The full key for a suffix, e.g. {@code rule.gpu.device}. */
    public String key(String suffix) {
        return KEY_PREFIX + name + "." + suffix;
    }

    /**
     * Where the rule starts: its first line in the file, else its first system property. A loop, not a
     * stream with a Comparator chain: this runs at start-up, where each lambda costs a cold JVM a
     * generated class.
     */
    public Location firstLocation() {
        Location first = null;
        for (Location where : locations.values()) {
            if (first == null || Location.compareInReaderOrder(where, first) < 0) {
                first = where;
            }
        }
        return first != null ? first : Location.ofSystemProperty(KEY_PREFIX + name);
    }

    /**
     * Whether {@code name} matches {@link #NAME_SYNTAX}: letters, digits, {@code _} or {@code -}, at
     * least one. Checked by hand: it runs for every key of the configuration, in premain.
     */
    public static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
