package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.agentJar;
import static io.numaagent.it.SampleEngineProcess.engine;
import static io.numaagent.it.SampleEngineProcess.hostCpus;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad machines end to end: whatever is missing, the engine runs (unpinned, or with the part that works)
 * and the agent says so in one warning that names what to do.
 */
@Tag("agent")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FailSafeMachineTest {

    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @TempDir
    Path dir;

    /**
     * The agent's warnings, less the one every JDK 22+ child gets because these tests start it without
     * --enable-native-access (jdk25WithoutEnableNativeAccess... tests that warning itself).
     */
    private static List<String> warnings(ChildJvm engine) {
        return engine.stderrLines().stream()
                .filter(l -> l.contains("WARN numa-agent") && !l.contains("native access is not enabled for the agent"))
                .toList();
    }

    private static List<Integer> cpusOf(ChildJvm engine, String thread) {
        return ProcThreads.of(engine.pid()).byTid(EngineOutput.of(engine).thread(thread).tid()).cpus();
    }

    private Path config(String fixture, Path sysfsRoot, Path lockDir) {
        return AgentConfig.fromResource(fixture).with("sysfs.root", sysfsRoot).with("lock.dir", lockDir)
                .writeTo(dir.resolve(fixture));
    }

    private void assertRunsUnpinnedWithOneWarning(Path sysfsRoot, String expectedInWarning) {
        Path config = config("gpu-workers.properties", sysfsRoot, dir.resolve("locks"));
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), config.toString()).args("--devices", "2"))) {
            List<String> w = warnings(engine);
            assertEquals(1, w.size(), engine.describe());
            assertTrue(w.get(0).contains("cannot read the machine's topology, no thread is pinned") && w.get(0).contains(expectedInWarning),
                    w.get(0));
            assertEquals(hostCpus(), cpusOf(engine, "gpu-worker-0"), engine.describe());
            engine.closeStdin();
            assertEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
        }
    }

    @Test
    void missingSysfsRootWarnsOnceAndTheEngineRunsUnpinned() {
        Path absent = dir.resolve("no-sysfs");
        assertRunsUnpinnedWithOneWarning(absent, absent + ": does not exist");
    }

    @Test
    void sysfsWithoutItsCpuDirectoryWarnsOnceAndTheEngineRunsUnpinned() throws IOException {
        // what a container with a partial /sys bind mount looks like
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial.resolve("sys/devices/system/node"));
        assertRunsUnpinnedWithOneWarning(partial, "sys/devices/system/cpu: missing");
    }

    @Test
    void unwritableLockDirectoryWarnsOnceAndExclusiveCpusStillWorkInsideTheJvm() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        Path config = config("workers-share-gpu0-cpu.properties", machine.root(), notADirectory.resolve("locks"));
        try (ChildJvm engine = startHeld(engine(dir).javaagent(agentJar(), config.toString()).args("--devices", "2"))) {
            List<String> w = warnings(engine);
            assertEquals(1, w.size(), engine.describe());
            assertTrue(w.get(0).contains("lock directory " + notADirectory.resolve("locks") + " is not usable")
                    && w.get(0).contains("exclusive within this JVM only"), w.get(0));
            assertEquals(Set.of(List.of(0), List.of(1)), Set.of(cpusOf(engine, "gpu-worker-0"), cpusOf(engine, "gpu-worker-1")),
                    engine.describe());
        }
    }

    /**
     * A temp directory where this user's private directory is writable by others: the agent refuses to load
     * its JNI library from there (it would be code another user chose) and the calls go through JNA.
     */
    private Path tmpWithSharedPrivateDirectory() throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path shared = Files.createDirectories(tmp.resolve("numa-agent-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        return tmp;
    }

    /** The shared libraries the engine's process has mapped, by file name, from the kernel's /proc/PID/maps. */
    private static List<String> mappedLibraries(ChildJvm engine) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + engine.pid() + "/maps")).stream()
                .filter(l -> l.contains("/")).map(l -> l.substring(l.lastIndexOf('/') + 1)).distinct().toList();
    }

    @Test
    void byDefaultTheCallsGoThroughTheAgentsJniLibrary() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = config("gpu-workers.properties", machine.root(), dir.resolve("locks"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (ChildJvm engine = startHeld(engine(dir).jvmArgs("-Djava.io.tmpdir=" + tmp).javaagent(agentJar(), config.toString())
                .args("--devices", "2"))) {
            assertEquals(List.of(0), cpusOf(engine, "gpu-worker-0"), engine.describe());
            List<String> mapped = mappedLibraries(engine);
            assertTrue(mapped.stream().anyMatch(l -> l.startsWith("libnumaagent-jni-") && l.endsWith(".so")), mapped::toString);
        }
    }

    @Test
    void jniLibraryRefusedTheCallsGoThroughJnaAndStillPin() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = config("gpu-workers.properties", machine.root(), dir.resolve("locks"));
        Path tmp = tmpWithSharedPrivateDirectory();
        ChildJvm.Builder builder = engine(dir).jvmArgs("-Djava.io.tmpdir=" + tmp).javaagent(agentJar(), config.toString())
                .args("--devices", "2");
        try (ChildJvm engine = startHeld(builder)) {
            // (this host has one node: gpu-worker-1's memory policy on node 1 is refused, with its own warning)
            assertEquals(List.of(), warnings(engine).stream().filter(l -> l.contains("unavailable") || l.contains("JNA")).toList(),
                    engine.describe());
            assertEquals(List.of(0), cpusOf(engine, "gpu-worker-0"), engine.describe());
            assertEquals(List.of(1), cpusOf(engine, "gpu-worker-1"), engine.describe());
            List<String> mapped = mappedLibraries(engine);
            // Pinned, and the agent's library is not mapped: JNA made the calls (the sample engine maps JNA anyway).
            assertTrue(mapped.stream().noneMatch(l -> l.startsWith("libnumaagent-jni")), mapped::toString);
            try (var files = Files.list(tmp.resolve("numa-agent-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid")))) {
                assertEquals(List.of(), files.toList(), "nothing written into a directory others can write");
            }
        }
    }

    @Test
    void noNativePartAtAllWarnsOnceAndTheEngineRunsUnpinned() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = config("gpu-workers.properties", machine.root(), dir.resolve("locks"));
        // The agent's JNI library refused, and no jnidispatch anywhere: not on a boot path, not from the
        // system, not unpacked from the jar.
        ChildJvm.Builder builder = engine(dir).jvmArgs("-Djava.io.tmpdir=" + tmpWithSharedPrivateDirectory(),
                "-Djna.boot.library.path=" + dir.resolve("none"), "-Djna.nosys=true", "-Djna.nounpack=true")
                .javaagent(agentJar(), config.toString()).args("--devices", "2");
        try (ChildJvm engine = startHeld(builder)) {
            List<String> jna = warnings(engine).stream().filter(l -> l.contains("JNA native library unavailable")).toList();
            assertEquals(1, jna.size(), engine.describe());
            assertTrue(jna.get(0).contains("CPU pinning and memory policy off"), jna.get(0));
            assertTrue(jna.get(0).contains("; the agent's JNI library could not be copied under ")
                    && jna.get(0).contains("is writable by group or others (mode 777)"), "names why its own library did not load either: " + jna.get(0));
            assertEquals(hostCpus(), cpusOf(engine, "gpu-worker-0"), engine.describe());
            engine.closeStdin();
            assertEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
        }
    }

    @Test
    void jdk25WithoutEnableNativeAccessSaysWhatToAddAndStillPins() {
        assumeTrue(Files.isExecutable(JDK25), "JDK 25 at " + JDK25);
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = config("gpu-workers.properties", machine.root(), dir.resolve("locks"));
        // ChildJvm runs the test JVM's java; the prefix execs JDK 25's instead with the same arguments.
        ChildJvm.Builder builder = engine(dir).launcherPrefix("sh", "-c", "shift; exec \"$0\" \"$@\"", JDK25.toString())
                .javaagent(agentJar(), config.toString()).args("--devices", "2");
        try (ChildJvm engine = startHeld(builder)) {
            List<String> w = engine.stderrLines().stream()
                    .filter(l -> l.contains("WARN numa-agent") && l.contains("native access is not enabled")).toList();
            assertEquals(1, w.size(), engine.describe());
            assertTrue(w.get(0).contains("JDK 25") && w.get(0).endsWith("add --enable-native-access=ALL-UNNAMED to the java command line"),
                    w.get(0));
            assertEquals(List.of(0), cpusOf(engine, "gpu-worker-0"), engine.describe());
            assertEquals(List.of(1), cpusOf(engine, "gpu-worker-1"), engine.describe());
        }
    }

    @Test
    void twoJvmsAskingForTheSameExclusiveCpuGetDifferentCpus() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        Path locks = dir.resolve("shared-locks");
        Path config = config("one-worker-own-cpu.properties", machine.root(), locks);
        try (ChildJvm first = startHeld(engine(dir).name("first").javaagent(agentJar(), config.toString()).args("--devices", "1"));
             ChildJvm second = startHeld(engine(dir).name("second").javaagent(agentJar(), config.toString()).args("--devices", "1"))) {
            List<Integer> a = cpusOf(first, "gpu-worker-0");
            List<Integer> b = cpusOf(second, "gpu-worker-0");
            assertEquals(1, a.size(), first.describe());
            assertEquals(1, b.size(), second.describe());
            assertNotEquals(a, b, first.describe() + "\n" + second.describe());
            assertTrue(Files.exists(locks.resolve("cpu-" + a.get(0) + ".lock")));
            assertTrue(Files.exists(locks.resolve("cpu-" + b.get(0) + ".lock")));
        }
    }
}
