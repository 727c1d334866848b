package io.numaagent.config;

import io.numaagent.config.ConfigFile.Entry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads the configuration file named by the agent argument, applies the {@code -Dnuma.agent.KEY=VALUE}
 * overrides and validates everything; see the package documentation for the format. Never throws:
 * whatever is wrong becomes a {@link ConfigProblem}.
 *
 * <p>This runs in premain of every JVM, so it is written with plain loops and switches: no lambdas,
 * method references or streams, each of which costs a cold JVM a generated class (about a
 * millisecond each; streams load dozens of classes besides).
 */
public final class ConfigLoader {

    public static final String PROCESS_CPUS = "process.cpus";
    public static final String STRICT = "strict";
    public static final String LOG_LEVEL = "log.level";
    public static final String SYSFS_ROOT = "sysfs.root";
    public static final String LOCK_DIR = "lock.dir";
    /** The keys outside rules, in the order the documentation lists them. */
    public static final List<String> GLOBAL_KEYS = List.of(PROCESS_CPUS, STRICT, LOG_LEVEL, SYSFS_ROOT, LOCK_DIR);

    private ConfigLoader() {
    }

    /**
     * @param agentArgument    the path of the configuration file; null or blank: no file, no rules
     * @param systemProperties the JVM's system properties (or a test's); only {@code numa.agent.*} are read
     */
    public static LoadedConfig load(String agentArgument, Map<String, String> systemProperties) {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<Path> source = Optional.empty();
        List<Entry> entries = new ArrayList<>();
        try {
            if (agentArgument != null && !agentArgument.isBlank()) {
                String name = agentArgument.strip();
                try {
                    source = Optional.of(Path.of(name));
                } catch (InvalidPathException e) {
                    // ConfigFile.read reports it.
                }
                entries.addAll(ConfigFile.read(name, problems));
            }
            entries.addAll(systemPropertyEntries(systemProperties));
            AgentConfig config = new ConfigLoader.Build(problems).build(source, entries);
            return new LoadedConfig(config, sorted(problems));
        } catch (RuntimeException | StackOverflowError e) {
            // A bug here must not keep the engine from starting: no rules, and say so.
            problems.add(new ConfigProblem(Location.ofFile(agentArgument == null ? "(no file)" : agentArgument.strip()),
                    null, null, "could not be loaded (internal error " + e + "); no rules are applied"));
            AgentConfig d = AgentConfig.defaults();
            return new LoadedConfig(new AgentConfig(source, List.of(), d.processCpus(), d.strict(), d.logLevel(),
                    d.sysfsRoot(), d.lockDir()), sorted(problems));
        }
    }

    /** The JVM's {@code -Dnuma.agent.KEY=VALUE} system properties, prefix kept: what {@link #load} reads. */
    public static Map<String, String> agentSystemProperties() {
        Map<String, String> props = new HashMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(Location.SYSTEM_PROPERTY_PREFIX)) {
                props.put(name, system.getProperty(name));
            }
        }
        return props;
    }

    /** {@code numa.agent.KEY} properties, in key order (a Properties table has none of its own). */
    private static List<Entry> systemPropertyEntries(Map<String, String> systemProperties) {
        if (systemProperties == null) {
            return List.of();
        }
        Map<String, String> ours = new TreeMap<>();
        for (Map.Entry<String, String> property : systemProperties.entrySet()) {
            String k = property.getKey();
            String v = property.getValue();
            if (k != null && k.startsWith(Location.SYSTEM_PROPERTY_PREFIX) && v != null) {
                ours.put(k.substring(Location.SYSTEM_PROPERTY_PREFIX.length()), v);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, String> property : ours.entrySet()) {
            String k = property.getKey();
            entries.add(new Entry(k, property.getValue().strip(), Location.ofSystemProperty(k)));
        }
        return entries;
    }

    /** The file as a whole first, then by line, then the system properties, as a reader goes. */
    private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(ReaderOrder.PROBLEMS);
        return sorted;
    }

    /**
     * The order a reader meets locations in: the file (as a whole, then by line) before the system
     * properties. A named class rather than a Comparator chain, for premain's sake (see above).
     */
    private static final class ReaderOrder implements Comparator<ConfigProblem> {
        static final ReaderOrder PROBLEMS = new ReaderOrder();

        @Override
        public int compare(ConfigProblem a, ConfigProblem b) {
            return Location.compareInReaderOrder(a.location(), b.location());
        }
    }

    /** The state of one load: entries sorted into globals and rules, then each checked. */
    private static final class Build {

        private final List<ConfigProblem> problems;
        /** Global key to its entry; the later -D replaces the file's. */
        private final Map<String, Entry> globals = new HashMap<>();
        private final Set<String> badGlobals = new HashSet<>();
        /** Rule name to its keys, both in the order first written. */
        private final Map<String, Map<String, Entry>> rules = new LinkedHashMap<>();
        private final Set<String> badRules = new HashSet<>();

        Build(List<ConfigProblem> problems) {
            this.problems = problems;
        }

        AgentConfig build(Optional<Path> source, List<Entry> entries) {
            for (Entry e : entries) {
                sortEntry(e);
            }
            List<Rule> built = new ArrayList<>();
            for (Map.Entry<String, Map<String, Entry>> rule : rules.entrySet()) {
                Rule r = buildRule(rule.getKey(), rule.getValue());
                if (r != null) {
                    built.add(r);
                }
            }

            AgentConfig d = AgentConfig.defaults();
            List<Rule> kept = withoutDuplicateRules(built);
            ProcessCpus processCpus = (ProcessCpus) global(PROCESS_CPUS, d.processCpus(), Value.PROCESS_CPUS);
            boolean strict = (Boolean) global(STRICT, d.strict(), Value.BOOL);
            LogLevel logLevel = (LogLevel) global(LOG_LEVEL, d.logLevel(), Value.LOG_LEVEL);
            Path sysfsRoot = (Path) global(SYSFS_ROOT, d.sysfsRoot(), Value.PATH);
            Path lockDir = (Path) global(LOCK_DIR, d.lockDir(), Value.ABSOLUTE_PATH);
            return new AgentConfig(source, kept, processCpus, strict, logLevel, sysfsRoot, lockDir);
        }

        /**
         * A rule whose match keys are exactly those of an earlier rule can never apply: the first
         * match wins. It is reported and skipped, so the operator learns which of the two is in force.
         */
        private List<Rule> withoutDuplicateRules(List<Rule> built) {
            List<Rule> kept = new ArrayList<>();
            for (Rule rule : built) {
                Rule earlier = null;
                for (Rule k : kept) {
                    if (sameMatchKeys(k, rule)) {
                        earlier = k;
                        break;
                    }
                }
                if (earlier == null) {
                    kept.add(rule);
                    continue;
                }
                String key = rule.threadName().isPresent() ? Rule.THREAD_NAME
                        : rule.threadClass().isPresent() ? Rule.THREAD_CLASS : Rule.RUNNABLE_CLASS;
                Location where = rule.locations().get(key);
                problems.add(ConfigProblem.forRule(rule, key, where == null ? null : matchValue(rule, key),
                        "matches exactly the threads of rule " + earlier.name() + " (" + earlier.firstLocation()
                                + "), which comes first and wins; this rule would never apply (the rule is skipped)"));
            }
            return kept;
        }

        private static boolean sameMatchKeys(Rule a, Rule b) {
            return Objects.equals(regexText(a.threadName()), regexText(b.threadName()))
                    && Objects.equals(text(a.threadClass()), text(b.threadClass()))
                    && Objects.equals(text(a.runnableClass()), text(b.runnableClass()));
        }

        private static String matchValue(Rule rule, String key) {
            return switch (key) {
                case Rule.THREAD_NAME -> regexText(rule.threadName());
                case Rule.THREAD_CLASS -> text(rule.threadClass());
                default -> text(rule.runnableClass());
            };
        }

        private static String regexText(Optional<Pattern> p) {
            return p.isPresent() ? p.get().pattern() : null;
        }

        private static String text(Optional<ClassNamePattern> p) {
            return p.isPresent() ? p.get().toString() : null;
        }

        private void sortEntry(Entry e) {
            String key = e.key();
            if (e.malformed()) {
                boolean ofRule = spoilRuleNamedBy(key.split("\\s", 2)[0]);
                problems.add(new ConfigProblem(e.location(), key, null, "is not a 'key = value' line; expected e.g. "
                        + "rule.gpu.device = gpu:0 (a comment starts with #)" + (ofRule ? " (the rule is skipped)" : "")));
                return;
            }
            if (GLOBAL_KEYS.contains(key)) {
                put(globals, key, e, badGlobals, key, "the default is kept");
                return;
            }
            RuleKey rk = RuleKey.of(key);
            boolean validName = rk != null && Rule.isValidName(rk.name());
            if (rk != null && Rule.KEY_SUFFIXES.contains(rk.suffix())) {
                if (!validName) {
                    spoilRuleNamedBy(key);
                    problems.add(new ConfigProblem(e.location(), key, e.value(), "has rule name '" + rk.name()
                            + "', which is not valid; expected letters, digits, _ or -, e.g. rule.gpu." + rk.suffix()));
                    return;
                }
                put(ruleKeys(rk.name()), rk.suffix(), e, badRules, rk.name(), "the rule is skipped");
                return;
            }
            // Unknown. Under a rule's name it spoils that rule: a misspelt match key must not leave a
            // rule that matches more threads than meant.
            boolean ofRule = spoilRuleNamedBy(key);
            problems.add(new ConfigProblem(e.location(), key, e.value(), unknownKeyMessage(key)
                    + (ofRule ? " (the rule is skipped)" : "")));
        }

        /**
         * Marks bad the rule a bad key seems to belong to: the part after {@code rule.} up to the next
         * dot ({@code rule.gpu}, {@code rule.gpu.thread_name}, {@code rule.gpu.0.device} all name gpu).
         */
        private boolean spoilRuleNamedBy(String key) {
            if (!key.startsWith(Rule.KEY_PREFIX)) {
                return false;
            }
            int dot = key.indexOf('.', Rule.KEY_PREFIX.length());
            String name = key.substring(Rule.KEY_PREFIX.length(), dot < 0 ? key.length() : dot);
            if (!Rule.isValidName(name)) {
                return false;
            }
            ruleKeys(name);
            badRules.add(name);
            return true;
        }

        /** The keys of rule {@code name}, an empty map made for it if it has none yet. */
        private Map<String, Entry> ruleKeys(String name) {
            Map<String, Entry> keys = rules.get(name);
            if (keys == null) {
                keys = new LinkedHashMap<>();
                rules.put(name, keys);
            }
            return keys;
        }

        /**
         * Records an entry; a key written twice in the file is a problem (and {@code spoiled} is added
         * to {@code bad}), a -D simply overrides.
         */
        private void put(Map<String, Entry> map, String key, Entry e, Set<String> bad, String spoiled, String consequence) {
            Entry earlier = map.get(key);
            if (earlier != null && !e.location().isSystemProperty()) {
                problems.add(new ConfigProblem(e.location(), e.key(), e.value(), "is written twice: also at "
                        + earlier.location() + " ('" + earlier.value() + "'); write each key once (" + consequence + ")"));
                bad.add(spoiled);
                return;
            }
            map.put(key, e);
        }

        private Object global(String key, Object defaultValue, Value kind) {
            Entry e = globals.get(key);
            if (e == null || badGlobals.contains(key)) {
                return defaultValue;
            }
            try {
                return kind.parse(e.value(), -1);
            } catch (IllegalArgumentException ex) {
                problems.add(new ConfigProblem(e.location(), key, e.value(), ex.getMessage()));
                return defaultValue;
            }
        }

        /** The rule, or null when it is bad (its problems are recorded). */
        private Rule buildRule(String name, Map<String, Entry> keys) {
            int before = problems.size();
            Optional<Pattern> threadName = Optional.empty();
            int groupCount = -1;
            Entry nameEntry = keys.get(Rule.THREAD_NAME);
            if (nameEntry != null) {
                Pattern p = (Pattern) check(nameEntry, Value.THREAD_NAME, -1);
                threadName = Optional.ofNullable(p);
                // With a bad regex the groups are unknown: check the device's syntax only.
                groupCount = p == null ? 9 : p.matcher("").groupCount();
            }
            Optional<ClassNamePattern> threadClass =
                    Optional.ofNullable((ClassNamePattern) check(keys.get(Rule.THREAD_CLASS), Value.CLASS_NAME, -1));
            Optional<ClassNamePattern> runnableClass =
                    Optional.ofNullable((ClassNamePattern) check(keys.get(Rule.RUNNABLE_CLASS), Value.CLASS_NAME, -1));
            DeviceTemplate device = (DeviceTemplate) check(keys.get(Rule.DEVICE), Value.DEVICE, groupCount);
            CpuChoice cpus = (CpuChoice) check(keys.get(Rule.CPUS), Value.CPU_CHOICE, -1);
            if (cpus == null) {
                cpus = CpuChoice.NODE;
            }
            MemoryPolicy memory = (MemoryPolicy) check(keys.get(Rule.MEMORY), Value.MEMORY_POLICY, -1);
            if (memory == null) {
                memory = MemoryPolicy.PREFERRED;
            }

            Map<String, Location> locations = new LinkedHashMap<>();
            Location first = null;
            for (Map.Entry<String, Entry> key : keys.entrySet()) {
                Location where = key.getValue().location();
                locations.put(key.getKey(), where);
                if (first == null || Location.compareInReaderOrder(where, first) < 0) {
                    first = where;
                }
            }
            if (problems.size() > before || badRules.contains(name) || keys.isEmpty()) {
                return null;
            }
            // Only now: "no device" after "bad device" would be one problem told twice.
            String ruleKey = Rule.KEY_PREFIX + name;
            if (threadName.isEmpty() && threadClass.isEmpty() && runnableClass.isEmpty()) {
                problems.add(new ConfigProblem(first, ruleKey, null, "has no match key; add " + ruleKey + ".thread-name, "
                        + ruleKey + ".thread-class or " + ruleKey + ".runnable-class"));
            }
            if (device == null) {
                problems.add(new ConfigProblem(first, ruleKey, null, "has no device; add " + ruleKey
                        + ".device = gpu:N, accel:N, net:IFACE, nvme:NAME, pci:BDF, node:N or cpus:LIST"));
            }
            if (problems.size() > before) {
                return null;
            }
            return new Rule(name, threadName, threadClass, runnableClass, device, cpus, memory, locations);
        }

        /** The parsed value; null when there is no entry, or after recording the problem. */
        private Object check(Entry e, Value kind, int groupCount) {
            if (e == null) {
                return null;
            }
            try {
                return kind.parse(e.value(), groupCount);
            } catch (IllegalArgumentException ex) {
                problems.add(new ConfigProblem(e.location(), e.key(), e.value(), ex.getMessage()));
                return null;
            }
        }
    }

    /** The kinds of value a key holds: one switch instead of a lambda per parser (see the class comment). */
    private enum Value {
        PROCESS_CPUS, BOOL, LOG_LEVEL, PATH, ABSOLUTE_PATH, THREAD_NAME, CLASS_NAME, DEVICE, CPU_CHOICE, MEMORY_POLICY;

        /**
         * @param groupCount for {@link #DEVICE}: the thread-name regex's group count, -1 without one
         * @throws IllegalArgumentException with "what is wrong; what is valid"
         */
        Object parse(String value, int groupCount) {
            switch (this) {
                case PROCESS_CPUS:
                    return word(ProcessCpus.values(), value);
                case BOOL:
                    return bool(value);
                case LOG_LEVEL:
                    return word(LogLevel.values(), value);
                case PATH:
                    return path(value, false);
                case ABSOLUTE_PATH:
                    return path(value, true);
                case THREAD_NAME:
                    return threadNameRegex(value);
                case CLASS_NAME:
                    return ClassNamePattern.parse(value);
                case DEVICE:
                    return DeviceTemplate.parse(value, groupCount);
                case CPU_CHOICE:
                    return word(CpuChoice.values(), value);
                case MEMORY_POLICY:
                    return word(MemoryPolicy.values(), value);
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /** {@code rule.NAME.SUFFIX} split at the first and last dot after {@code rule.}; null if not that shape. */
    record RuleKey(String name, String suffix) {
        static RuleKey of(String key) {
            if (!key.startsWith(Rule.KEY_PREFIX)) {
                return null;
            }
            int last = key.lastIndexOf('.');
            if (last < Rule.KEY_PREFIX.length()) {
                return null;
            }
            return new RuleKey(key.substring(Rule.KEY_PREFIX.length(), last), key.substring(last + 1));
        }
    }

    /**
     * "did you mean" among the global keys and the keys of the rule the key seems to name (its second
     * dotted part): not among every rule of the file, which would make a file of many bad keys quadratic.
     */
    private static String unknownKeyMessage(String key) {
        Set<String> candidates = new LinkedHashSet<>(GLOBAL_KEYS);
        String[] parts = key.split("\\.", 3);
        if (parts.length >= 2 && Rule.isValidName(parts[1])) {
            for (String suffix : Rule.KEY_SUFFIXES) {
                candidates.add(Rule.KEY_PREFIX + parts[1] + "." + suffix);
            }
        }
        Optional<String> near = EditDistance.nearest(key, candidates);
        if (near.isPresent()) {
            return "is not a known key; did you mean " + near.get() + "?";
        }
        return "is not a known key; expected rule.NAME.{" + String.join(",", Rule.KEY_SUFFIXES) + "} or "
                + String.join(", ", GLOBAL_KEYS);
    }

    // ---- value parsers: each throws IllegalArgumentException with "what is wrong; what is valid" ----

    static Pattern threadNameRegex(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty; expected a regex for the whole thread name, e.g. gpu-worker-(\\d+)");
        }
        if (value.contains("\\\\")) {
            // The format looks like java.util.Properties, where a regex \d is written \\d; here that
            // would match a backslash followed by 'd', which no thread name has.
            throw new IllegalArgumentException("has a doubled backslash; this file is not java.util.Properties: write the"
                    + " regex as in a regex tool, e.g. gpu-worker-(\\d+) (a real backslash is \\x5c)");
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("is not a valid regex: " + e.getDescription() + " at index " + e.getIndex()
                    + "; expected a regex for the whole thread name, e.g. gpu-worker-(\\d+)");
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("is nested too deeply to compile; expected a regex for the whole thread name,"
                    + " e.g. gpu-worker-(\\d+)");
        }
    }

    /**
     * The constant whose word is {@code value}, ignoring case. Every enum of the format writes its
     * constant as its name in lower case ({@code word()} of {@link CpuChoice}, {@link MemoryPolicy},
     * {@link ProcessCpus}, {@link LogLevel}).
     */
    static <E extends Enum<E>> E word(E[] values, String value) {
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equalsIgnoreCase(value)) {
                return e;
            }
        }
        // The list is short and shown whole, so no "did you mean".
        StringBuilder words = new StringBuilder();
        for (E e : values) {
            words.append(words.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("is not valid; expected one of " + words);
    }

    static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("is not valid; expected true or false");
    }

    static Path path(String value, boolean mustBeAbsolute) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty; expected a directory path" + (mustBeAbsolute ? ", absolute" : ""));
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path (" + e.getReason() + "); expected a directory path");
        }
        if (mustBeAbsolute && !path.isAbsolute()) {
            throw new IllegalArgumentException("is not an absolute path; expected one such as "
                    + AgentConfig.DEFAULT_LOCK_DIR + ", the same for every JVM on the machine, or the locks would not"
                    + " exclude each other");
        }
        return path;
    }
}
