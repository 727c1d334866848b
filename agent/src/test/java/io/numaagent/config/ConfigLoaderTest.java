package io.numaagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static Rule onlyRule(LoadedConfig loaded) {
        assertEquals(1, loaded.config().rules().size(), () -> "rules: " + loaded.config().rules());
        return loaded.config().rules().get(0);
    }

    private static ConfigProblem onlyProblem(LoadedConfig loaded) {
        assertEquals(1, loaded.problems().size(), () -> "problems: " + loaded.problems());
        return loaded.problems().get(0);
    }

    private static String file(String fixture) {
        return Fixtures.path(fixture).toString();
    }

    @Test
    void fastL3SpreadAndPackAreCpuChoices() {
        LoadedConfig loaded = Fixtures.load("cpu-choices.properties");
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        assertEquals(List.of(CpuChoice.FAST, CpuChoice.L3, CpuChoice.SPREAD, CpuChoice.PACK),
                loaded.config().rules().stream().map(Rule::cpus).toList());
    }

    // ---- a valid file ----

    @Test
    void validFileGivesEveryKeyItsValue() {
        LoadedConfig loaded = Fixtures.load("valid.properties");
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        AgentConfig config = loaded.config();
        assertEquals(Optional.of(Fixtures.path("valid.properties")), config.source());
        assertEquals(ProcessCpus.UNION, config.processCpus());
        assertFalse(config.strict());
        assertEquals(LogLevel.DEBUG, config.logLevel());
        assertEquals(Path.of("/tmp/fake-sysfs"), config.sysfsRoot());
        assertEquals(Path.of("/run/numa-agent-locks"), config.lockDir());

        Rule gpu = config.rules().get(0);
        assertEquals("gpu", gpu.name());
        assertEquals("gpu-worker-(\\d+)", gpu.threadName().orElseThrow().pattern());
        assertEquals(CpuChoice.CORE, gpu.cpus());
        assertEquals(MemoryPolicy.BIND, gpu.memory());
        assertTrue(gpu.device().isTemplated());
        assertEquals(Location.ofLine(file("valid.properties"), 4), gpu.locations().get(Rule.DEVICE));

        Rule io = config.rules().get(1);
        assertEquals("io", io.name());
        assertTrue(io.threadName().isEmpty());
        assertTrue(io.threadClass().orElseThrow().matches("com.example.NicPoller"));
        assertTrue(io.runnableClass().orElseThrow().matches("com.example.disk.LocalStorageTask"));
        assertEquals("pci:0000:3b:00.0", io.device().expand(null));
        assertEquals(2, config.rules().size());
    }

    @Test
    void regexBackslashesStayAsWrittenAndDeviceTakesTheGroup() {
        Rule gpu = Fixtures.load("valid.properties").config().rules().get(0);
        Matcher m = gpu.threadName().orElseThrow().matcher("gpu-worker-3");
        assertTrue(m.matches());
        assertEquals("gpu:3", gpu.device().expand(m));
    }

    @Test
    void rulesKeepTheOrderOfTheirFirstLine() {
        List<Rule> rules = Fixtures.load("rule-order.properties").config().rules();
        assertEquals(List.of("zeta", "alpha"), rules.stream().map(Rule::name).toList());
        assertEquals(CpuChoice.CPU, rules.get(0).cpus());
    }

    @Test
    void ruleWithoutCpusAndMemoryGetsNodeAndPreferred() {
        Rule net = onlyRule(Fixtures.load("defaults-in-rule.properties"));
        assertEquals(CpuChoice.NODE, net.cpus());
        assertEquals(MemoryPolicy.PREFERRED, net.memory());
        Matcher m = net.threadName().orElseThrow().matcher("rx-eth1-0");
        assertTrue(m.matches());
        assertEquals("net:eth1", net.device().expand(m));
    }

    @Test
    void classPatternsUseBinaryNamesAndWildcards() {
        List<Rule> rules = Fixtures.load("class-patterns.properties").config().rules();
        assertTrue(rules.get(0).threadClass().orElseThrow().matches("com.example.Pool$Worker"));
        assertFalse(rules.get(0).threadClass().orElseThrow().matches("com.example.Pool.Worker"));
        assertTrue(rules.get(1).runnableClass().orElseThrow().matches("org.db.LogStorageTask"));
        assertEquals("nvme:nvme0n1", rules.get(1).device().expand(null));
    }

    @Test
    void hashAfterSpaceStartsCommentButHashInTextOrEscapedStaysInRegex() {
        List<Rule> rules = Fixtures.load("hash-in-regex.properties").config().rules();
        assertEquals("worker#(\\d+)", rules.get(0).threadName().orElseThrow().pattern());
        assertEquals("worker \\#(\\d+)", rules.get(1).threadName().orElseThrow().pattern());
        assertTrue(rules.get(1).threadName().orElseThrow().matcher("worker #2").matches());
    }

    // ---- no file, empty file ----

    @Test
    void nullOrBlankArgumentGivesDefaultsWithoutProblems() {
        for (String argument : new String[] {null, "", "  "}) {
            LoadedConfig loaded = ConfigLoader.load(argument, Map.of());
            assertFalse(loaded.hasProblems());
            assertEquals(AgentConfig.defaults(), loaded.config());
        }
    }

    @Test
    void defaultsAreAllProcessCpusInfoRootAndShmLockDir() {
        AgentConfig d = AgentConfig.defaults();
        assertEquals(ProcessCpus.ALL, d.processCpus());
        assertFalse(d.strict());
        assertEquals(LogLevel.INFO, d.logLevel());
        assertEquals(Path.of("/"), d.sysfsRoot());
        assertEquals(Path.of("/dev/shm/numa-agent"), d.lockDir());
        assertTrue(d.rules().isEmpty());
    }

    @Test
    void emptyFileIsFineAndHasNoRules() {
        LoadedConfig loaded = Fixtures.load("empty.properties");
        assertFalse(loaded.hasProblems());
        assertTrue(loaded.config().rules().isEmpty());
        assertEquals(Optional.of(Fixtures.path("empty.properties")), loaded.config().source());
    }

    @Test
    void commentsOnlyFileIsFineAndHasNoRules() {
        LoadedConfig loaded = Fixtures.load("comments-only.properties");
        assertFalse(loaded.hasProblems());
        assertTrue(loaded.config().rules().isEmpty());
    }

    // ---- the file itself ----

    @Test
    void missingFileIsOneProblemNamingIt(@TempDir Path dir) {
        String missing = dir.resolve("engine.properties").toString();
        LoadedConfig loaded = ConfigLoader.load(missing, Map.of());
        ConfigProblem p = onlyProblem(loaded);
        assertEquals(Location.ofFile(missing), p.location());
        assertTrue(p.toString().startsWith("numa-agent: " + missing + ": does not exist"), p.toString());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void duplicateRuleThatCouldNeverApplyIsAProblemAndSkipped() {
        LoadedConfig loaded = ConfigLoader.load(file("duplicate-rules.properties"), Map.of());
        assertEquals("gpu", onlyRule(loaded).name());
        ConfigProblem p = onlyProblem(loaded);
        assertEquals(5, p.location().line());
        assertTrue(p.toString().contains("rule.gpu2.thread-name = 'gpu-worker-(\\d+)' matches exactly the threads of rule gpu (")
                && p.toString().contains("duplicate-rules.properties:2), which comes first and wins"), p.toString());
    }

    @Test
    void directoryIsOneProblem(@TempDir Path dir) {
        ConfigProblem p = onlyProblem(ConfigLoader.load(dir.toString(), Map.of()));
        assertTrue(p.message().startsWith("is a directory"), p.message());
    }

    @Test
    void unreadableFileIsOneProblem(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("engine.properties"), "strict = true\n");
        assertTrue(file.toFile().setReadable(false));
        try {
            // root reads anything; then there is nothing to test.
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root");
            ConfigProblem p = onlyProblem(ConfigLoader.load(file.toString(), Map.of()));
            assertTrue(p.message().startsWith("cannot be read (AccessDeniedException"), p.message());
        } finally {
            file.toFile().setReadable(true);
        }
    }

    @Test
    void fileAboveOneMebibyteIsRefusedWithOneLine(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("engine.properties");
        byte[] line = "# padding padding padding padding padding padding padding padding\n".getBytes();
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < 10L * 1000 * 1000; written += line.length) {
                out.write(line);
            }
        }
        LoadedConfig loaded = ConfigLoader.load(big.toString(), Map.of());
        ConfigProblem p = onlyProblem(loaded);
        assertEquals(Location.ofFile(big.toString()), p.location());
        assertTrue(p.message().startsWith("is " + Files.size(big) + " bytes; a configuration file is at most 1048576"),
                p.message());
        assertFalse(p.toString().contains("\n"));
    }

    @Test
    void latin1FileIsRejectedAtTheLineOfTheFirstBadByte() {
        LoadedConfig loaded = Fixtures.load("latin1.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals(Location.ofLine(file("latin1.properties"), 3), p.location());
        assertEquals("numa-agent: " + file("latin1.properties")
                + ":3: is not UTF-8 (byte 0xE4 at offset 61); save the file as UTF-8", p.toString());
        assertTrue(loaded.config().rules().isEmpty(), "no rule from a file that could not be decoded");
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        LoadedConfig loaded = Fixtures.load("crlf.properties");
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        Rule gpu = onlyRule(loaded);
        assertEquals("gpu-worker-(\\d+)", gpu.threadName().orElseThrow().pattern());
        assertEquals(MemoryPolicy.INTERLEAVE, gpu.memory());
        assertEquals(3, gpu.locations().get(Rule.MEMORY).line());
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() {
        LoadedConfig loaded = Fixtures.load("bom.properties");
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        assertEquals("gpu", onlyRule(loaded).name());
    }

    @Test
    void trailingSpacesAndTabsAreTrimmed() {
        LoadedConfig loaded = Fixtures.load("trailing-spaces.properties");
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        Rule gpu = onlyRule(loaded);
        assertEquals("gpu-worker-(\\d+)", gpu.threadName().orElseThrow().pattern());
        assertEquals("gpu:$1", gpu.device().text());
        assertEquals(CpuChoice.CPU, gpu.cpus());
    }

    @Test
    void lineWithoutEqualsIsAProblemAndSkipsTheRuleItNames() {
        LoadedConfig loaded = Fixtures.load("not-key-value.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals("numa-agent: " + file("not-key-value.properties") + ":2: rule.gpu.device gpu:0 is not a"
                + " 'key = value' line; expected e.g. rule.gpu.device = gpu:0 (a comment starts with #)"
                + " (the rule is skipped)", p.toString());
        assertTrue(loaded.config().rules().isEmpty());
    }

    // ---- keys ----

    @Test
    void unknownKeySuggestsTheNearestValidOne() {
        LoadedConfig loaded = Fixtures.load("unknown-key.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals("numa-agent: " + file("unknown-key.properties")
                + ":3: log.levle = 'debug' is not a known key; did you mean log.level?", p.toString());
        assertEquals(LogLevel.INFO, loaded.config().logLevel());
        assertEquals("gpu", onlyRule(loaded).name());
    }

    @Test
    void misspeltMatchKeySuggestsItAndSkipsTheRule() {
        LoadedConfig loaded = Fixtures.load("misspelt-match-key.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals("numa-agent: " + file("misspelt-match-key.properties") + ":2: rule.gpu.thread_name = "
                + "'gpu-worker-(\\d+)' is not a known key; did you mean rule.gpu.thread-name? (the rule is skipped)",
                p.toString());
        assertTrue(loaded.config().rules().isEmpty(), "the rule would otherwise match every Worker thread");
    }

    @Test
    void anyBadKeyUnderARuleNameSkipsThatRule() {
        LoadedConfig loaded = Fixtures.load("bare-rule-key.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals("rule.gpu", p.key());
        assertTrue(p.message().endsWith("(the rule is skipped)"), p.message());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void invalidRuleNameIsAProblem() {
        LoadedConfig loaded = Fixtures.load("bad-rule-name.properties");
        assertEquals(2, loaded.problems().size());
        assertTrue(loaded.problems().get(0).message().startsWith("has rule name 'gpu.0', which is not valid"),
                loaded.problems().get(0).message());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void duplicateRuleKeyNamesBothLinesAndSkipsTheRule() {
        LoadedConfig loaded = Fixtures.load("duplicate-key.properties");
        ConfigProblem p = onlyProblem(loaded);
        String f = file("duplicate-key.properties");
        assertEquals("numa-agent: " + f + ":4: rule.gpu.device = 'gpu:1' is written twice: also at " + f
                + ":2 ('gpu:0'); write each key once (the rule is skipped)", p.toString());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void duplicateGlobalKeyKeepsTheDefault() {
        LoadedConfig loaded = Fixtures.load("duplicate-global.properties");
        assertEquals(2, onlyProblem(loaded).location().line());
        assertEquals(LogLevel.INFO, loaded.config().logLevel());
    }

    // ---- rule values ----

    @Test
    void badMemoryWordIsTheBriefsExampleLine() {
        LoadedConfig loaded = Fixtures.load("bad-memory.properties");
        assertEquals("numa-agent: " + file("bad-memory.properties") + ":7: rule.gpu.memory = 'prefered' is not valid;"
                + " expected one of preferred, bind, interleave, local, none", onlyProblem(loaded).toString());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void badRegexGivesTheRegexErrorAndIndex() {
        ConfigProblem p = onlyProblem(Fixtures.load("bad-regex.properties"));
        assertEquals(1, p.location().line());
        assertEquals("rule.gpu.thread-name", p.key());
        assertEquals("gpu-worker-(\\d+", p.value());
        assertTrue(p.message().startsWith("is not a valid regex: Unclosed group at index 15;"), p.message());
    }

    @Test
    void doubledBackslashInRegexIsAProblem() {
        ConfigProblem p = onlyProblem(Fixtures.load("doubled-backslash.properties"));
        assertEquals("rule.gpu.thread-name", p.key());
        assertTrue(p.message().contains("not java.util.Properties"), p.message());
    }

    @Test
    void groupBeyondTheRegexGroupsIsAProblem() {
        ConfigProblem p = onlyProblem(Fixtures.load("group-out-of-range.properties"));
        assertEquals(2, p.location().line());
        assertEquals("uses $3 but the thread-name regex has 2 groups; expected $1..$2", p.message());
    }

    @Test
    void groupWithoutThreadNameRegexIsAProblem() {
        ConfigProblem p = onlyProblem(Fixtures.load("group-without-regex.properties"));
        assertEquals("rule.gpu.device", p.key());
        assertTrue(p.message().startsWith("uses $1 but the rule has no thread-name regex"), p.message());
    }

    @Test
    void ruleWithoutMatchKeyIsAProblemAtItsFirstLine() {
        LoadedConfig loaded = Fixtures.load("no-match-key.properties");
        ConfigProblem p = onlyProblem(loaded);
        assertEquals(Location.ofLine(file("no-match-key.properties"), 2), p.location());
        assertEquals("rule.gpu", p.key());
        assertTrue(p.message().startsWith("has no match key; add rule.gpu.thread-name"), p.message());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void ruleWithoutDeviceIsAProblem() {
        ConfigProblem p = onlyProblem(Fixtures.load("no-device.properties"));
        assertEquals("rule.gpu", p.key());
        assertTrue(p.message().startsWith("has no device; add rule.gpu.device = gpu:N"), p.message());
    }

    @Test
    void unknownDeviceKindSuggestsTheNearestKind() {
        ConfigProblem p = onlyProblem(Fixtures.load("bad-device-kind.properties"));
        assertTrue(p.message().startsWith("has kind 'gpus' (did you mean gpu?); expected one of gpu:N"), p.message());
    }

    @Test
    void backwardsCpuListIsAProblem() {
        ConfigProblem p = onlyProblem(Fixtures.load("bad-cpu-list.properties"));
        assertEquals("rule.pinned.device", p.key());
        assertTrue(p.message().startsWith("is not a CPU list"), p.message());
    }

    @Test
    void slashedClassNameSuggestsTheDottedOne() {
        ConfigProblem p = onlyProblem(Fixtures.load("slash-class-name.properties"));
        assertEquals("uses '/'; write the binary name with dots, e.g. com.example.NicPoller", p.message());
    }

    @Test
    void lenientModeSkipsTheBadRuleAndKeepsTheRest() {
        LoadedConfig loaded = Fixtures.load("lenient-skips-bad-rule.properties");
        assertEquals("rule.bad.thread-name", onlyProblem(loaded).key());
        assertEquals("good", onlyRule(loaded).name());
        assertFalse(loaded.mustStop());
    }

    // ---- global values ----

    @Test
    void badGlobalValuesKeepTheirDefaultsAndRulesStillWork() {
        LoadedConfig loaded = Fixtures.load("bad-global.properties");
        assertEquals(List.of("log.level", "process.cpus"), loaded.problems().stream().map(ConfigProblem::key).toList());
        assertEquals("is not valid; expected one of error, warn, info, debug, trace, off", loaded.problems().get(0).message());
        assertEquals(LogLevel.INFO, loaded.config().logLevel());
        assertEquals(ProcessCpus.ALL, loaded.config().processCpus());
        assertEquals("gpu", onlyRule(loaded).name());
    }

    @Test
    void relativeLockDirIsAProblemAndTheDefaultIsKept() {
        LoadedConfig loaded = Fixtures.load("relative-lock-dir.properties");
        assertTrue(onlyProblem(loaded).message().startsWith("is not an absolute path"));
        assertEquals(AgentConfig.DEFAULT_LOCK_DIR, loaded.config().lockDir());
    }

    @Test
    void strictWithAProblemMustStopWithTheFirstLine() {
        LoadedConfig loaded = Fixtures.load("strict-with-problem.properties");
        assertTrue(loaded.config().strict());
        assertTrue(loaded.mustStop());
        assertEquals(Optional.of("numa-agent: " + file("strict-with-problem.properties")
                + ":4: rule.gpu.cpus = 'all' is not valid; expected one of node, core, cpu, fast, l3, spread, pack"), loaded.firstProblemLine());
    }

    // ---- -Dnuma.agent.KEY ----

    @Test
    void theJvmsAgentSystemPropertiesAreThoseUnderNumaAgentDot() {
        System.setProperty("numa.agent.log.level", "debug");
        System.setProperty("numa.agentlike", "not ours");
        try {
            Map<String, String> props = ConfigLoader.agentSystemProperties();
            assertEquals("debug", props.get("numa.agent.log.level"));
            assertFalse(props.containsKey("numa.agentlike"));
            for (String key : props.keySet()) {
                assertTrue(key.startsWith("numa.agent."), key);
            }
        } finally {
            System.clearProperty("numa.agent.log.level");
            System.clearProperty("numa.agentlike");
        }
    }

    @Test
    void systemPropertyOverridesAFileKeyAndIsLocatedAsDashD() {
        LoadedConfig loaded = Fixtures.load("override.properties", Map.of("numa.agent.rule.gpu.cpus", "core"));
        assertFalse(loaded.hasProblems());
        Rule gpu = onlyRule(loaded);
        assertEquals(CpuChoice.CORE, gpu.cpus());
        assertEquals("-Dnuma.agent.rule.gpu.cpus", gpu.locations().get(Rule.CPUS).toString());
        assertEquals(2, gpu.locations().get(Rule.DEVICE).line());
    }

    @Test
    void systemPropertyAddsStrictAndRulesWithoutAFile() {
        Map<String, String> props = new HashMap<>();
        props.put("numa.agent.strict", "true");
        props.put("numa.agent.rule.gc.thread-name", "GC Thread#\\d+");
        props.put("numa.agent.rule.gc.device", "node:0");
        props.put("java.version", "17");
        LoadedConfig loaded = ConfigLoader.load(null, props);
        assertFalse(loaded.hasProblems(), () -> loaded.problems().toString());
        assertTrue(loaded.config().strict());
        Rule gc = onlyRule(loaded);
        assertTrue(gc.threadName().orElseThrow().matcher("GC Thread#3").matches(), "no comment stripping in -D values");
    }

    @Test
    void badSystemPropertyValueIsReportedAtTheProperty() {
        LoadedConfig loaded = Fixtures.load("override.properties", Map.of("numa.agent.rule.gpu.memory", "bound"));
        ConfigProblem p = onlyProblem(loaded);
        assertEquals("numa-agent: -Dnuma.agent.rule.gpu.memory: rule.gpu.memory = 'bound' is not valid;"
                + " expected one of preferred, bind, interleave, local, none", p.toString());
        assertTrue(loaded.config().rules().isEmpty());
    }

    @Test
    void unknownSystemPropertyKeySuggestsTheNearest() {
        ConfigProblem p = onlyProblem(ConfigLoader.load(null, Map.of("numa.agent.stirct", "true")));
        assertEquals("numa-agent: -Dnuma.agent.stirct: stirct = 'true' is not a known key; did you mean strict?",
                p.toString());
    }

    @Test
    void fileProblemsComeBeforeSystemPropertyProblemsInLineOrder() {
        LoadedConfig loaded = Fixtures.load("bad-global.properties", Map.of("numa.agent.strict", "yes"));
        assertEquals(List.of(1, 2, 0), loaded.problems().stream().map(p -> p.location().line()).toList());
        assertTrue(loaded.problems().get(2).location().isSystemProperty());
    }
}
