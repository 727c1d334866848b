package io.numaagent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How premain finds its jar on the JVM's command line before asking the class path for it. */
class AgentJarOnCommandLineTest {

    @TempDir
    Path dir;
    private File jar;

    @BeforeEach
    void agentJar() throws IOException {
        jar = Files.createFile(dir.resolve("numa-agent.jar")).toFile();
    }

    /** /proc/self/cmdline's layout: every argument followed by a NUL byte. */
    private static byte[] cmdline(String... args) {
        StringBuilder text = new StringBuilder();
        for (String arg : args) {
            text.append(arg).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private File find(byte[] cmdline, String... variables) {
        return AgentEntry.agentJarIn(cmdline, List.of(variables), dir.toFile());
    }

    @Test
    void theJavaagentJarWithItsConfigurationIsFound() {
        assertEquals(jar, find(cmdline("java", "-javaagent:" + jar + "=engine.properties", "-cp", "x.jar", "Main")));
    }

    @Test
    void aRelativeJarIsResolvedAgainstTheWorkingDirectory() {
        assertEquals(jar, find(cmdline("java", "-javaagent:numa-agent.jar", "-jar", "engine.jar")));
    }

    @Test
    void aJarInAnOptionVariableIsFound() {
        assertEquals(jar, find(cmdline("java", "Main"), " -Xmx1g   -javaagent:" + jar + "=a.properties "));
    }

    @Test
    void argumentsOfTheProgramAreNotOptions() {
        assertNull(find(cmdline("java", "-cp", "-javaagent:" + jar, "Main", "-javaagent:" + jar)));
    }

    @Test
    void anArgumentFileMayHoldAnotherJarSoNoneIsTaken() {
        assertNull(find(cmdline("java", "@jvm.options", "-javaagent:" + jar, "Main")));
    }

    @Test
    void twoDifferentNumaAgentJarsAreAmbiguous() throws IOException {
        File other = Files.createFile(Files.createDirectory(dir.resolve("other")).resolve("numa-agent.jar")).toFile();
        assertNull(find(cmdline("java", "-javaagent:" + jar, "-javaagent:" + other, "Main")));
    }

    @Test
    void theSameJarTwiceIsStillOne() {
        assertEquals(jar, find(cmdline("java", "-javaagent:" + jar, "Main"), "-javaagent:" + jar));
    }

    @Test
    void aRenamedOrMissingJarIsLeftToTheClassPathLookup() {
        assertNull(find(cmdline("java", "-javaagent:" + dir.resolve("numa-agent-0.1.jar"), "Main")));
        assertNull(find(cmdline("java", "-javaagent:" + dir.resolve("gone/numa-agent.jar"), "Main")));
        assertNull(find(cmdline("java", "Main")));
    }
}
