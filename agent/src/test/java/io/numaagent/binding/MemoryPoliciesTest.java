package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.topology.CpuSet;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real implementation on this host: libnuma's set_mempolicy, read back with get_mempolicy. */
class MemoryPoliciesTest {

    static MemoryPolicies memory;
    static CpuSet nodes;
    static int node;

    @BeforeAll
    static void create(@TempDir Path lockDir) {
        Binding binding = Binding.create(lockDir);
        memory = binding.memory();
        assertTrue(memory.available(), () -> "memory policy must work on this host: " + binding.warnings());
        nodes = HostFacts.allowedNodes();
        node = nodes.first();
    }

    @Test
    void newThreadHasDefaultPolicy() throws Exception {
        ThreadRunner.inNewThread(() -> assertEquals("default", memory.currentThread().describe()));
    }

    @Test
    void preferredOneNodeReadsBack() throws Exception {
        ThreadRunner.inNewThread(() -> {
            MemoryPolicyState s = memory.applyToCurrentThread(MemoryMode.PREFERRED, CpuSet.of(node));
            assertEquals(new MemoryPolicyState(MemoryMode.PREFERRED, CpuSet.of(node)), s);
            assertEquals("preferred " + node, memory.currentThread().describe());
        });
    }

    @Test
    void bindAllowedNodesReadsBack() throws Exception {
        ThreadRunner.inNewThread(() -> {
            assertEquals(new MemoryPolicyState(MemoryMode.BIND, nodes), memory.applyToCurrentThread(MemoryMode.BIND, nodes));
            assertEquals("bind " + nodes.toList(), memory.currentThread().describe());
        });
    }

    @Test
    void interleaveAllowedNodesReadsBack() throws Exception {
        ThreadRunner.inNewThread(() -> {
            assertEquals(new MemoryPolicyState(MemoryMode.INTERLEAVE, nodes), memory.applyToCurrentThread(MemoryMode.INTERLEAVE, nodes));
        });
    }

    @Test
    void localReadsBackAsLocalWithoutNodes() throws Exception {
        ThreadRunner.inNewThread(() -> {
            assertEquals("local", memory.applyToCurrentThread(MemoryMode.LOCAL, CpuSet.of(node)).describe());
        });
    }

    @Test
    void defaultUndoesAnEarlierPolicy() throws Exception {
        ThreadRunner.inNewThread(() -> {
            memory.applyToCurrentThread(MemoryMode.BIND, nodes);
            assertEquals("default", memory.applyToCurrentThread(MemoryMode.DEFAULT, CpuSet.EMPTY).describe());
        });
    }

    @Test
    void policyOnlyAffectsTheCallingThread() throws Exception {
        MemoryPolicyState before = memory.currentThread();
        ThreadRunner.inNewThread(() -> memory.applyToCurrentThread(MemoryMode.BIND, nodes));
        assertEquals(before, memory.currentThread());
    }

    @Test
    void nodeOutsideMemsAllowedIsEinvalBindingException() throws Exception {
        int outside = nodes.last() + 1;
        ThreadRunner.inNewThread(() -> {
            BindingException e = assertThrows(BindingException.class,
                    () -> memory.applyToCurrentThread(MemoryMode.BIND, CpuSet.of(outside)));
            assertEquals(22, e.errno());
            assertTrue(e.getMessage().startsWith("set_mempolicy(bind " + outside + ") failed: EINVAL (22), "), e.getMessage());
            assertTrue(e.getMessage().contains("Mems_allowed_list"), e.getMessage());
            assertEquals("default", memory.currentThread().describe(), "a refused policy leaves the thread's policy unchanged");
        });
    }

    @Test
    void preferredWithTwoNodesIsRefusedBeforeTheKernel() throws Exception {
        BindingException e = assertThrows(BindingException.class,
                () -> memory.applyToCurrentThread(MemoryMode.PREFERRED, CpuSet.of(0, 1)));
        assertEquals("memory policy preferred takes one NUMA node, got 0-1: use bind or interleave for several nodes", e.getMessage());
    }

    @Test
    void bindWithoutNodesIsRefusedBeforeTheKernel() {
        BindingException e = assertThrows(BindingException.class, () -> memory.applyToCurrentThread(MemoryMode.BIND, CpuSet.EMPTY));
        assertEquals("memory policy bind needs at least one NUMA node, got none", e.getMessage());
    }

    @Test
    void nodeIdBeyond1023IsRefusedBeforeTheKernel() {
        BindingException e = assertThrows(BindingException.class, () -> memory.applyToCurrentThread(MemoryMode.INTERLEAVE, CpuSet.of(0, 1024)));
        assertEquals("NUMA node 1024 is beyond 1023, the largest node id a Linux kernel has", e.getMessage());
    }
}
