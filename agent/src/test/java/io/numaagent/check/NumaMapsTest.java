package io.numaagent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.binding.MemoryMode;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * numa_maps as a 2-node kernel (Debian 12's 6.1 in the numavm VM) printed it for {@code cat} run under
 * each numactl policy: {@code src/test/resources/proc/policies/}, made by it-tests/src/test/vm
 * (see {@code capture} in lib.sh).
 */
class NumaMapsTest {

    static Path fixture(String name) {
        try {
            return Path.of(NumaMapsTest.class.getResource("/proc/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<MemoryPolicyState> policyOfFile(String name) throws IOException {
        return NumaMaps.taskPolicy(Files.readAllLines(fixture("policies/" + name)));
    }

    @Test
    void interleaveOverBothNodesReadsAsInterleaveWithTheNodeList() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.INTERLEAVE, CpuSet.of(0, 1))), policyOfFile("interleave-all.numa_maps"));
    }

    @Test
    void preferredReadsAsPreferredOnItsNode() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.PREFERRED, CpuSet.of(1))), policyOfFile("preferred-1.numa_maps"));
    }

    @Test
    void membindReadsAsBind() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.BIND, CpuSet.of(0))), policyOfFile("bind-0.numa_maps"));
    }

    @Test
    void localallocReadsAsLocalWithoutNodes() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.LOCAL, CpuSet.EMPTY)), policyOfFile("local.numa_maps"));
    }

    @Test
    void noPolicyReadsAsDefault() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.DEFAULT, CpuSet.EMPTY)), policyOfFile("default.numa_maps"));
    }

    @Test
    void preferredManyWithItsSpaceInTheWordIsOnePolicy() throws IOException {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.PREFERRED_MANY, CpuSet.of(0, 1))), policyOfFile("preferred-many.numa_maps"));
    }

    @Test
    void modeFlagsBeforeTheNodeListAreSkipped() {
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.INTERLEAVE, CpuSet.of(0, 1))),
                NumaMaps.parsePolicy("interleave=static:0-1 anon=3 N0=2 N1=1"));
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.PREFERRED, CpuSet.of(2))),
                NumaMaps.parsePolicy("prefer=relative:2"));
    }

    @Test
    void aWordThisParserDoesNotKnowIsNoPolicy() {
        assertEquals(Optional.empty(), NumaMaps.parsePolicy("preferredish:1 anon=1"));
        assertEquals(Optional.empty(), NumaMaps.policyOf("7f0000000000"));
    }

    @Test
    void aMappingWithItsOwnPolicyDoesNotOutvoteTheTasksPolicy() throws IOException {
        // the VM's held engine: its worker gpu-worker-1 (preferred on node 1), whose heap the test
        // pretends the JVM had interleaved with mbind, as -XX:+UseNUMA does
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(fixture("policies/preferred-1.numa_maps")));
        String first = lines.get(0);
        lines.set(0, first.replaceFirst(" prefer:1 ", " interleave:0-1 "));
        assertEquals(Optional.of(new MemoryPolicyState(MemoryMode.PREFERRED, CpuSet.of(1))), NumaMaps.taskPolicy(lines));
    }

    @Test
    void pagesPerNodeAreSummedOverEveryMappingInBytes() throws IOException {
        Map<Integer, Long> bytes = NumaMaps.bytesPerNode(Files.readAllLines(fixture("policies/interleave-all.numa_maps")));
        assertTrue(bytes.keySet().equals(java.util.Set.of(0, 1)), bytes.toString());
        assertTrue(bytes.values().stream().allMatch(b -> b > 0 && b % 4096 == 0), bytes.toString());
    }

    @Test
    void hugePagesCountAtTheirSize() {
        Map<Integer, Long> bytes = NumaMaps.bytesPerNode(List.of(
                "7f4c00000000 default file=/anon_hugepage\\040(deleted) huge anon=2 dirty=2 N1=2 kernelpagesize_kB=2048",
                "55d0c1a2b000 default heap anon=3 dirty=3 N0=1 N1=2 kernelpagesize_kB=4"));
        assertEquals(Map.of(0, 4096L, 1, 2L * 2048 * 1024 + 2 * 4096L), bytes);
    }
}
