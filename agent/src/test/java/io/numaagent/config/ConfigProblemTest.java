package io.numaagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigProblemTest {

    @Test
    void describeIsTheLineWithoutItsPrefixForTheAgentsOwnLogger() {
        ConfigProblem p = new ConfigProblem(Location.ofLine("engine.properties", 7), "rule.gpu.memory", "prefered",
                "is not valid; expected one of preferred, bind, interleave, local, none");
        assertEquals("engine.properties:7: rule.gpu.memory = 'prefered' is not valid; expected one of preferred, bind, interleave, local, none",
                p.describe());
        assertEquals("numa-agent: " + p.describe(), p.toString());
    }

    @Test
    void lineNamesLocationKeyValueAndMessage() {
        ConfigProblem p = new ConfigProblem(Location.ofLine("engine.properties", 7), "rule.gpu.memory", "prefered",
                "is not valid; expected one of preferred, bind, interleave, local, none");
        assertEquals("numa-agent: engine.properties:7: rule.gpu.memory = 'prefered' is not valid;"
                + " expected one of preferred, bind, interleave, local, none", p.toString());
    }

    @Test
    void fileProblemHasNoKeyOrValue() {
        ConfigProblem p = new ConfigProblem(Location.ofFile("engine.properties"), null, null, "does not exist");
        assertEquals("numa-agent: engine.properties: does not exist", p.toString());
    }

    @Test
    void systemPropertyLocationIsTheDashDName() {
        assertEquals("-Dnuma.agent.rule.gpu.cpus", Location.ofSystemProperty("rule.gpu.cpus").toString());
        assertTrue(Location.ofSystemProperty("strict").isSystemProperty());
    }

    @Test
    void controlCharactersInAValueAreEscapedSoTheLineStaysOneLine() {
        ConfigProblem p = new ConfigProblem(Location.ofSystemProperty("strict"), "strict", "yes\nno\u001b[31m", "is not valid");
        assertEquals("numa-agent: -Dnuma.agent.strict: strict = 'yes\\nno\\u001b[31m' is not valid", p.toString());
    }

    @Test
    void longValueIsCutInTheLine() {
        String value = "x".repeat(5000);
        String line = new ConfigProblem(Location.ofLine("f", 1), "rule.a.thread-name", value, "is bad").toString();
        assertTrue(line.length() < 400, line);
        assertTrue(line.contains("...(5000 characters)"), line);
    }

    @Test
    void forRuleLocatesTheProblemWhereTheRuleWroteTheKey() {
        Rule gpu = Fixtures.load("valid.properties").config().rules().get(0);
        ConfigProblem p = ConfigProblem.forRule(gpu, Rule.DEVICE, "gpu:7", "names no GPU of this machine; it has gpu:0..gpu:3");
        assertEquals("numa-agent: " + Fixtures.path("valid.properties") + ":4: rule.gpu.device = 'gpu:7' names no GPU"
                + " of this machine; it has gpu:0..gpu:3", p.toString());
    }

    @Test
    void forRuleOfAKeyTheRuleDidNotWriteUsesItsFirstLine() {
        Rule io = Fixtures.load("valid.properties").config().rules().get(1);
        ConfigProblem p = ConfigProblem.forRule(io, Rule.CPUS, "node", "leaves no CPU the process may use");
        assertEquals(7, p.location().line());
        assertEquals("rule.io.cpus", p.key());
    }
}
