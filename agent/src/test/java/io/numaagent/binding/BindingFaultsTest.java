package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.numaagent.topology.CpuSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding.create on this host and with parts missing; the missing parts are real (child JVMs, absent library names). */
class BindingFaultsTest {

    @TempDir
    Path lockDir;

    private static List<String> warnings(List<String> childOutput) {
        return childOutput.stream().filter(l -> l.startsWith("warning ")).map(l -> l.substring(8)).toList();
    }

    private static String value(List<String> childOutput, String key) {
        return childOutput.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow();
    }

    @Test
    void onThisHostEverythingIsAvailableWithoutWarnings() {
        Binding b = Binding.createWithJna(lockDir, JnaLibnuma.SONAME, Optional.empty());
        assertEquals(List.of(), b.warnings());
        assertTrue(b.cpus().available());
        assertTrue(b.memory().available());
    }

    @Test
    void onThisHostTheAgentsJniLibraryCarriesTheCalls() {
        Binding b = Binding.create(lockDir, false, Optional.empty());
        assertEquals(List.of(), b.warnings());
        assertTrue(b.nativeCalls().startsWith("the agent's JNI library /"), b.nativeCalls());
        assertTrue(b.cpus().available());
        assertTrue(b.memory().available());
    }

    @Test
    void aJniLibraryDirectoryOthersCanWriteIsRefusedAndJnaCarriesTheCalls() throws Exception {
        // The private directory made writable by anyone: the agent must not load a library from it.
        Path tmp = lockDir.resolve("tmp");
        Path shared = tmp.resolve("numa-agent-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        Files.createDirectories(shared);
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        // (JDK 22+: with native access enabled, so that the JDK's own warning about it is not the line seen)
        List<String> jvmArgs = Runtime.version().feature() >= 22
                ? List.of("-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED") : List.of("-Djava.io.tmpdir=" + tmp);
        List<String> out = ChildJvm.run(ChildJvm.currentJava(), jvmArgs, BindingProbeMain.class, lockDir.toString());
        assertEquals(List.of(), warnings(out), out::toString);
        assertEquals("JNA (the agent's JNI library could not be copied under " + tmp + " (IOException: " + shared
                + " is writable by group or others (mode 777)))", value(out, "calls"));
        assertEquals("true", value(out, "cpus"));
        assertEquals("true", value(out, "memory"));
        assertFalse(value(out, "bind").startsWith("BindingException"), out::toString);
        try (var files = Files.list(shared)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void withoutRulesThatLeaseCpusNoLockDirectoryIsOpenedAndNothingIsLeased() {
        Path locks = lockDir.resolve("locks");
        Binding b = Binding.create(locks, false, Optional.empty());
        assertFalse(Files.exists(locks), "the lock directory was created");
        assertEquals(Optional.empty(), b.exclusive().acquire(List.of(CpuSet.of(0)), "worker"));
        assertEquals(0, b.exclusive().leased());
        assertTrue(b.cpus().available());

        Binding leasing = Binding.create(locks, true, Optional.empty());
        assertTrue(Files.isDirectory(locks));
        Optional<CpuLease> lease = leasing.exclusive().acquire(List.of(CpuSet.of(HostFacts.allowedCpus().first())), "worker");
        assertTrue(lease.isPresent());
        assertEquals(1, leasing.exclusive().leased());
        lease.get().release();
    }

    @Test
    void missingLibnumaTurnsMemoryPolicyOffKeepsPinningWithOneWarning() throws Exception {
        Binding b = Binding.createWithJna(lockDir, "libnuma-absent.so.1", Optional.empty());
        assertEquals(List.of("libnuma-absent.so.1 not found: memory policy off, CPU pinning kept; install libnuma1 (Debian/Ubuntu) or numactl-libs (RHEL/Fedora)"),
                b.warnings());
        assertFalse(b.memory().available());
        assertTrue(b.cpus().available());
        ThreadRunner.inNewThread(() -> {
            CpuSet one = CpuSet.of(HostFacts.allowedCpus().first());
            assertEquals(one, b.cpus().bindCurrentThread(one));
            BindingException e = org.junit.jupiter.api.Assertions.assertThrows(BindingException.class,
                    () -> b.memory().applyToCurrentThread(MemoryMode.PREFERRED, CpuSet.of(0)));
            assertTrue(e.getMessage().startsWith("memory policy is off: libnuma-absent.so.1 not found"), e.getMessage());
        });
    }

    @Test
    void nativeAccessNotEnabledWarnsWithTheFlagToAdd() {
        Binding b = Binding.createWithJna(lockDir, JnaLibnuma.SONAME, Optional.of(false));
        assertEquals(1, b.warnings().size(), b.warnings()::toString);
        assertTrue(b.warnings().get(0).endsWith("add --enable-native-access=ALL-UNNAMED to the java command line"), b.warnings()::toString);
        assertTrue(b.cpus().available());
    }

    @Test
    void nativeAccessProbeIsEmptyBeforeJdk22() {
        Optional<Boolean> probe = NativeAccess.enabled(Binding.class.getModule());
        assertEquals(Runtime.version().feature() >= 22, probe.isPresent());
    }

    @Test
    void jnaNativeUnavailableTurnsEverythingOffWithOneWarning() throws Exception {
        // No jnidispatch anywhere: not on a boot path, not from the system, not unpacked from the jar.
        List<String> out = ChildJvm.run(ChildJvm.currentJava(),
                List.of("-Djna.boot.library.path=" + lockDir.resolve("none"), "-Djna.nosys=true", "-Djna.nounpack=true"),
                BindingProbeMain.class, lockDir.toString(), "jna");
        List<String> w = warnings(out);
        assertEquals(1, w.size(), out::toString);
        assertTrue(w.get(0).startsWith("JNA native library unavailable ("), w.get(0));
        int jdk = Runtime.version().feature();
        // From JDK 22 the child (started without --enable-native-access) is also told the flag to add.
        String end = "): CPU pinning and memory policy off" + (jdk >= 22
                ? "; native access is denied to the agent on JDK " + jdk + ": add --enable-native-access=ALL-UNNAMED to the java command line"
                : "");
        assertTrue(w.get(0).endsWith(end), w.get(0));
        assertEquals("false", value(out, "cpus"));
        assertEquals("false", value(out, "memory"));
        assertTrue(value(out, "bind").startsWith("BindingException CPU pinning is off: JNA native library unavailable"), out::toString);
    }

    @Test
    void jdk25WithoutEnableNativeAccessWarnsAndStillPins() throws Exception {
        assumeTrue(Files.isExecutable(ChildJvm.JDK25), "JDK 25 at " + ChildJvm.JDK25);
        List<String> out = ChildJvm.run(ChildJvm.JDK25, List.of(), BindingProbeMain.class, lockDir.toString());
        List<String> w = warnings(out);
        assertEquals(1, w.size(), out::toString);
        assertTrue(w.get(0).startsWith("native access is not enabled for the agent on JDK 25"), w.get(0));
        assertTrue(w.get(0).endsWith("add --enable-native-access=ALL-UNNAMED to the java command line"), w.get(0));
        assertEquals("true", value(out, "cpus"));
        assertEquals("true", value(out, "memory"));
    }

    @Test
    void jdk25WithEnableNativeAccessHasNoWarning() throws Exception {
        assumeTrue(Files.isExecutable(ChildJvm.JDK25), "JDK 25 at " + ChildJvm.JDK25);
        List<String> out = ChildJvm.run(ChildJvm.JDK25, List.of("--enable-native-access=ALL-UNNAMED"), BindingProbeMain.class, lockDir.toString());
        assertEquals(List.of(), warnings(out));
        assertEquals("true", value(out, "cpus"));
        assertEquals(CpuSet.of(HostFacts.allowedCpus().first()).toList(), value(out, "bind"));
    }

    @Test
    void jdk25DenyingNativeAccessTurnsPinningOffAndNamesTheFlag() throws Exception {
        assumeTrue(Files.isExecutable(ChildJvm.JDK25), "JDK 25 at " + ChildJvm.JDK25);
        List<String> out = ChildJvm.run(ChildJvm.JDK25, List.of("--illegal-native-access=deny"), BindingProbeMain.class, lockDir.toString());
        List<String> w = warnings(out);
        assertEquals(1, w.size(), out::toString);
        assertTrue(w.get(0).contains("add --enable-native-access=ALL-UNNAMED"), w.get(0));
        assertEquals("false", value(out, "cpus"));
    }
}
