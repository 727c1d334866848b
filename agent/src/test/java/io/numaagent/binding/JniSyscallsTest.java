package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.topology.CpuSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's JNI library against the kernel's own view of each thread ({@code /proc/thread-self}):
 * the library the build made for this machine, loaded for real.
 */
class JniSyscallsTest {

    private static final int EINVAL = 22;
    private static final int MPOL_DEFAULT = 0;
    private static final int MPOL_PREFERRED = 1;

    @TempDir
    static Path tmp;

    static JniSyscalls calls;
    static String library;

    @BeforeAll
    static void load() throws UnavailableException {
        library = JniSyscalls.load(tmp);
        calls = JniSyscalls.calls();
    }

    private static String status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + field + " in /proc/thread-self/status");
    }

    private static long[] words(CpuSet set, int length) {
        long[] w = new long[length];
        set.copyWords(w);
        return w;
    }

    @Test
    void theLibraryBuiltForThisMachineLoadsOnceFromThisUsersPrivateDirectory() throws Exception {
        // The first load of this test JVM (another test class may have come first, with the JVM's tmpdir).
        Path file = Path.of(library);
        assertEquals("numa-agent-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"), file.getParent().getFileName().toString());
        assertTrue(file.getFileName().toString().startsWith("libnumaagent-jni-"), library);
        assertTrue(Files.isRegularFile(file), library);
        assertEquals(library, JniSyscalls.load(tmp.resolve("elsewhere")), "a second load returns the library already bound");
    }

    @Test
    void pinsTheCallingThreadAsTheKernelReportsIt() throws Exception {
        int cpu = HostFacts.allowedCpus().last();
        ThreadRunner.inNewThread(() -> {
            assertEquals(0, calls.setAffinity(words(CpuSet.of(cpu), 1)));
            assertEquals(String.valueOf(cpu), status("Cpus_allowed_list"));
            long[] read = new long[1];
            assertEquals(0, calls.getAffinity(read));
            assertArrayEquals(words(CpuSet.of(cpu), 1), read);
        });
    }

    @Test
    void aReadZeroesTheWordsPastTheKernelsMask() throws Exception {
        long[] read = new long[4];
        java.util.Arrays.fill(read, -1L);
        assertEquals(0, calls.getAffinity(read));
        assertEquals(HostFacts.allowedCpus(), CpuSet.fromWords(read));
    }

    @Test
    void masksLongerThanTheStackBufferGoThroughTheHeap() throws Exception {
        int cpu = HostFacts.allowedCpus().first();
        ThreadRunner.inNewThread(() -> {
            long[] big = words(CpuSet.of(cpu), 300);
            assertEquals(0, calls.setAffinity(big));
            long[] read = new long[300];
            java.util.Arrays.fill(read, -1L);
            assertEquals(0, calls.getAffinity(read));
            assertArrayEquals(big, read);
        });
    }

    @Test
    void anEmptyMaskIsEinvalAndChangesNothing() throws Exception {
        ThreadRunner.inNewThread(() -> {
            String before = status("Cpus_allowed_list");
            assertEquals(EINVAL, calls.setAffinity(new long[1]));
            assertEquals(before, status("Cpus_allowed_list"));
        });
    }

    @Test
    void theThreadIdIsTheKernels() throws Exception {
        ThreadRunner.inNewThread(() -> {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "<pid>/task/<tid>"
            assertEquals(self.substring(self.lastIndexOf('/') + 1), String.valueOf(calls.currentTid()));
        });
    }

    @Test
    void pinsAnotherThreadByItsThreadId() throws Exception {
        int cpu = HostFacts.allowedCpus().last();
        AtomicInteger tid = new AtomicInteger();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch pinned = new java.util.concurrent.CountDownLatch(1);
        String[] seen = new String[1];
        Thread target = new Thread(() -> {
            tid.set(calls.currentTid());
            started.countDown();
            try {
                pinned.await();
                seen[0] = status("Cpus_allowed_list");
            } catch (Exception e) {
                seen[0] = e.toString();
            }
        });
        target.start();
        started.await();
        assertEquals(0, calls.setThreadAffinity(tid.get(), words(CpuSet.of(cpu), 1)));
        pinned.countDown();
        target.join();
        assertEquals(String.valueOf(cpu), seen[0]);
    }

    @Test
    void setsAndReadsBackAThreadsMemoryPolicy() throws Exception {
        int node = HostFacts.allowedNodes().first();
        ThreadRunner.inNewThread(() -> {
            long[] mask = words(CpuSet.of(node), 16);
            assertEquals(0, calls.setMempolicy(MPOL_PREFERRED, mask, KernelMemoryPolicies.MAXNODE_ARG));
            int[] mode = new int[1];
            long[] read = new long[16];
            assertEquals(0, calls.getMempolicy(mode, read, KernelMemoryPolicies.MAXNODE_ARG));
            assertEquals(MPOL_PREFERRED, mode[0]);
            assertArrayEquals(mask, read);

            assertEquals(0, calls.setMempolicy(MPOL_DEFAULT, null, 0));
            assertEquals(0, calls.getMempolicy(mode, read, KernelMemoryPolicies.MAXNODE_ARG));
            assertEquals(MPOL_DEFAULT, mode[0]);
        });
    }

    @Test
    void aNodeMaskShorterThanMaxnodeIsEinvalNotAnOverrun() throws Exception {
        ThreadRunner.inNewThread(() -> {
            assertEquals(EINVAL, calls.setMempolicy(MPOL_PREFERRED, new long[1], KernelMemoryPolicies.MAXNODE_ARG));
            int[] mode = {-1};
            assertEquals(EINVAL, calls.getMempolicy(mode, new long[1], KernelMemoryPolicies.MAXNODE_ARG));
            assertEquals(-1, mode[0], "nothing written on a refused read");
            assertEquals(EINVAL, calls.setMempolicy(MPOL_PREFERRED, null, 65));
        });
    }
}
