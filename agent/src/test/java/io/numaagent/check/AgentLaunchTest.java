package io.numaagent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLaunchTest {

    @TempDir
    Path dir;

    @Test
    void aRelativeConfigFileIsResolvedAgainstTheProcesssWorkingDirectory() throws CheckException {
        ProcFixture proc = ProcFixture.copy(ProcFixture.TWO_NODE_ENGINE, dir, dir.resolve("engine-cwd"));
        AgentLaunch launch = AgentLaunch.of(new ProcReader(proc.root()).read(proc.pid()));
        assertTrue(launch.hasAgent());
        assertTrue(launch.agentJar().get().endsWith("numa-agent.jar"), launch.toString());
        assertEquals(Optional.of(dir.resolve("engine-cwd/vm-preferred.properties")), launch.configFile());
    }

    @Test
    void systemPropertiesComeFromJvmOptionsNotFromTheProgramsArguments() {
        AgentLaunch launch = AgentLaunch.of(process(Map.of(), "/usr/bin/java", "-Dnuma.agent.rule.io.device=node:1",
                "-cp", "-Dnot.an.option", "-javaagent:/opt/numa-agent.jar=conf/engine.properties", "com.example.Main",
                "-Dnuma.agent.strict=true"));
        assertEquals(Map.of("numa.agent.rule.io.device", "node:1"), launch.systemProperties());
        assertEquals(Optional.of(Path.of("/srv/engine/conf/engine.properties")), launch.configFile());
    }

    @Test
    void javaToolOptionsCountAndTheCommandLineOverridesThem() {
        AgentLaunch launch = AgentLaunch.of(process(Map.of("JAVA_TOOL_OPTIONS",
                        "-javaagent:/opt/numa-agent.jar=/etc/engine.properties -Dnuma.agent.log.level=debug"),
                "java", "-Dnuma.agent.log.level=warn", "-jar", "engine.jar"));
        assertEquals(Optional.of(Path.of("/etc/engine.properties")), launch.configFile());
        assertEquals("warn", launch.systemProperties().get("numa.agent.log.level"));
    }

    @Test
    void anotherAgentIsNotOurs() {
        AgentLaunch launch = AgentLaunch.of(process(Map.of(), "java", "-javaagent:/opt/otel.jar=x.properties", "-jar", "e.jar"));
        assertFalse(launch.hasAgent());
        assertEquals(Optional.empty(), launch.configFile());
    }

    private static ProcessView process(Map<String, String> env, String... cmdline) {
        return new ProcessView(1, List.of(cmdline), Path.of("/srv/engine"), env, List.of(), Map.of());
    }
}
