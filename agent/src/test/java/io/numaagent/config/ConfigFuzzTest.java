package io.numaagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random inputs (so a failure replays): whatever the bytes, the loader returns a LoadedConfig
 * whose problems are one line each, and never builds a rule from a bad line.
 */
class ConfigFuzzTest {

    private static final long SEED = 0x6e756d61L; // "numa"
    private static final int ROUNDS = 400;

    /** Pieces that make interesting lines: the format's own characters and words, valid and not. */
    private static final String[] KEY_PARTS = {"rule.", "gpu", "io", "g-1", "a b", "", ".", "thread-name", "thread-class",
            "runnable-class", "device", "cpus", "memory", "thread_name", "process.cpus", "strict", "log.level",
            "sysfs.root", "lock.dir", "rule", "#", "=", "\u00e9", "\uFEFF"};
    private static final String[] VALUES = {"gpu-worker-(\\d+)", "gpu:$1", "gpu:$2", "gpu:0", "gpus:0", "node:1", "node:-1",
            "net:eth$1", "nvme:nvme0n1", "pci:0000:3b:00.0", "pci:3b:00.8", "cpus:0-3", "cpus:3-0", "cpus:0-99999999",
            "node", "core", "cpu", "preferred", "bind", "none", "all", "union", "true", "false", "TRUE", "debug", "off",
            "/", "/dev/shm/x", "relative", "*Task", "com.example.Outer$Inner", "com/example/X", "(", "[a-", "\\\\d",
            "a#b", "a #b", "\\#", "$", "$0", "$9", "", " ", "\t", "\u0000", "x".repeat(300), "((((((((((a))))))))))"};
    private static final char[] NOISE = {'=', '#', '$', '\\', '(', ')', ':', '.', '*', ' ', '\t', '\r', '\n', '0', '9',
            'a', 'Z', '-', '_', ',', '\u00e9', '\uFEFF', '\u0000', '\u2028'};

    @TempDir
    Path dir;

    @Test
    void randomBytesNeverThrowNorBuildRules() throws IOException {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            check(write(round, bytes), Map.of());
        }
    }

    @Test
    void randomMutationsOfTheFixturesNeverThrowNorBuildRulesFromBadLines() throws IOException {
        Random random = new Random(SEED + 1);
        List<String> fixtures;
        try (Stream<Path> files = Files.list(Fixtures.path("valid.properties").getParent())) {
            fixtures = files.map(Path::toString).filter(f -> f.endsWith(".properties")).sorted().toList();
        }
        assertTrue(fixtures.size() > 20, "the fixtures are the seeds of the mutations");
        for (int round = 0; round < ROUNDS * 3; round++) {
            byte[] original = Files.readAllBytes(Path.of(fixtures.get(random.nextInt(fixtures.size()))));
            StringBuilder text = new StringBuilder(new String(original, StandardCharsets.ISO_8859_1));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && text.length() > 0; m++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(5)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, NOISE[random.nextInt(NOISE.length)]);
                    case 2 -> text.setCharAt(at, NOISE[random.nextInt(NOISE.length)]);
                    case 3 -> text.setLength(at);
                    default -> { // duplicate a line elsewhere
                        int start = text.lastIndexOf("\n", at) + 1;
                        int end = text.indexOf("\n", start);
                        String line = text.substring(start, end < 0 ? text.length() : end);
                        text.insert(random.nextInt(text.length() + 1), "\n" + line + "\n");
                    }
                }
            }
            // Mostly UTF-8 (parsed line by line), sometimes the raw Latin-1 bytes (mostly rejected whole).
            byte[] bytes = text.toString().getBytes(random.nextInt(4) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            check(write(round, bytes), randomSystemProperties(random));
        }
    }

    @Test
    void randomKeysAndValuesNeverThrowNorBuildRulesFromBadLines() throws IOException {
        Random random = new Random(SEED + 2);
        int rulesBuilt = 0;
        int problemsFound = 0;
        for (int round = 0; round < ROUNDS * 3; round++) {
            StringBuilder text = new StringBuilder();
            List<String[]> lines = new ArrayList<>();
            // Rules written as blocks of mostly suitable values, so that many get built ...
            for (int r = random.nextInt(4); r > 0; r--) {
                String name = pick(random, "gpu", "io", "n_1", "G-2");
                for (String suffix : Rule.KEY_SUFFIXES) {
                    if (random.nextInt(10) < 6) {
                        lines.add(new String[] {"rule." + name + "." + suffix,
                                random.nextInt(10) < 9 ? suitable(random, suffix) : pick(random, VALUES)});
                    }
                }
            }
            // ... among lines of random keys and values, so that many are spoilt.
            for (int l = random.nextInt(5); l > 0; l--) {
                StringBuilder key = new StringBuilder();
                if (random.nextBoolean()) {
                    key.append(pick(random, ConfigLoader.GLOBAL_KEYS.toArray(new String[0])));
                } else {
                    for (int p = random.nextInt(5); p >= 0; p--) {
                        key.append(pick(random, KEY_PARTS));
                    }
                }
                lines.add(random.nextInt(lines.size() + 1), new String[] {key.toString(), pick(random, VALUES)});
            }
            for (String[] line : lines) {
                text.append(pick(random, "", " ", "\t")).append(line[0])
                        .append(random.nextInt(20) == 0 ? pick(random, " ", " == ") : pick(random, " = ", "="))
                        .append(line[1]).append(pick(random, "", "   ", " # comment", "#x"))
                        .append(pick(random, "\n", "\r\n", "\r"));
            }
            LoadedConfig loaded = check(write(round, text.toString().getBytes(StandardCharsets.UTF_8)),
                    randomSystemProperties(random));
            rulesBuilt += loaded.config().rules().size();
            problemsFound += loaded.problems().size();
        }
        // A generator that only ever made bad (or only good) input would prove little.
        assertTrue(rulesBuilt > 50, "rules built: " + rulesBuilt);
        assertTrue(problemsFound > 500, "problems found: " + problemsFound);
    }

    private static String suitable(Random random, String suffix) {
        return switch (suffix) {
            case Rule.THREAD_NAME -> pick(random, "gpu-worker-(\\d+)", "w-(\\d)-(\\d)", "pool-\\d+-thread-\\d+");
            case Rule.THREAD_CLASS, Rule.RUNNABLE_CLASS -> pick(random, "*Worker", "com.example.Outer$Inner");
            case Rule.DEVICE -> pick(random, "gpu:0", "node:$1", "net:eth$2", "cpus:0-3", "pci:3b:00.0");
            case Rule.CPUS -> pick(random, "node", "core", "cpu");
            default -> pick(random, "preferred", "bind", "interleave", "local", "none");
        };
    }

    private Map<String, String> randomSystemProperties(Random random) {
        Map<String, String> props = new HashMap<>();
        props.put("java.home", "/usr/lib/jvm/x");
        for (int i = random.nextInt(3); i > 0; i--) {
            String key = random.nextBoolean()
                    ? "numa.agent.rule." + pick(random, "gpu", "io", "d") + "." + pick(random, Rule.KEY_SUFFIXES.toArray(new String[0]))
                    : "numa.agent." + pick(random, KEY_PARTS);
            props.put(key, pick(random, VALUES) + pick(random, "", "\n", " "));
        }
        return props;
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private Path write(int round, byte[] bytes) throws IOException {
        return Files.write(dir.resolve("fuzz-" + round + ".properties"), bytes);
    }

    /** The invariants every load must keep, whatever the input. */
    private static LoadedConfig check(Path file, Map<String, String> props) throws IOException {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(file.toString(), props);
        } catch (Throwable t) {
            throw new AssertionError("load threw for " + file + ": " + Files.readString(file, StandardCharsets.ISO_8859_1), t);
        }
        assertNotNull(loaded);
        assertNotNull(loaded.config());
        List<String> fileLines = lines(file);
        for (ConfigProblem p : loaded.problems()) {
            String line = p.toString();
            assertTrue(line.startsWith("numa-agent: "), line);
            assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028"), line);
            assertFalse(p.message().contains("internal error"), line);
            if (!p.location().isSystemProperty()) {
                assertEquals(file.toString(), p.location().file());
                assertTrue(p.location().line() <= Math.max(fileLines.size(), 1), line);
            }
        }
        for (Rule rule : loaded.config().rules()) {
            assertTrue(rule.threadName().isPresent() || rule.threadClass().isPresent() || rule.runnableClass().isPresent());
            assertNotNull(rule.device());
            for (ConfigProblem p : loaded.problems()) {
                if (p.key() != null && belongsTo(p.key(), rule.name())) {
                    fail("rule " + rule.name() + " was built although " + p);
                }
            }
            // Every key the rule has was written on a line (or -D) that says exactly that key.
            rule.locations().forEach((suffix, where) -> {
                if (where.isSystemProperty()) {
                    assertEquals("-Dnuma.agent." + rule.key(suffix), where.file());
                } else {
                    String written = fileLines.get(where.line() - 1).strip();
                    assertTrue(written.startsWith(rule.key(suffix)), where + ": " + written);
                }
            });
            if (rule.device().isTemplated()) {
                // The hot path expands with whatever the thread name gave, and must not throw.
                rule.device().expand(null);
            }
        }
        return loaded;
    }

    /**
     * Whether a problem's key (or the first word of a malformed line) names that rule: the text after
     * {@code rule.} up to the next dot, as the package documentation says.
     */
    private static boolean belongsTo(String problemKey, String ruleName) {
        String key = problemKey.split("\\s", 2)[0];
        String prefix = Rule.KEY_PREFIX + ruleName;
        return key.equals(prefix) || key.startsWith(prefix + ".");
    }

    /** The file's lines as the loader counts them (LF, CRLF or CR); Latin-1 if it is not UTF-8 (same count). */
    private static List<String> lines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new ArrayList<>(List.of(text.split("\r\n|\n|\r", -1)));
    }
}
