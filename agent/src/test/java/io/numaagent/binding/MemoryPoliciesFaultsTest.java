package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.topology.CpuSet;
import org.junit.jupiter.api.Test;

/** Kernel answers this host cannot produce on demand (seccomp EPERM, mode flags, old-kernel MPOL_LOCAL), through the NumaCalls seam. */
class MemoryPoliciesFaultsTest {

    /** A kernel that refuses set_mempolicy with {@code setErrno} and reports a fixed policy. */
    record FakeKernel(int setErrno, int getErrno, int mode, long mask0) implements NumaCalls {
        @Override
        public int setMempolicy(int m, long[] nodemask, long maxnode) {
            return setErrno;
        }

        @Override
        public int getMempolicy(int[] m, long[] nodemask, long maxnode) {
            if (getErrno != 0) {
                return getErrno;
            }
            m[0] = mode;
            nodemask[0] = mask0;
            return 0;
        }
    }

    @Test
    void seccompEpermIsABindingExceptionWithTheCapabilityHint() {
        MemoryPolicies memory = new KernelMemoryPolicies(new FakeKernel(1, 0, 0, 0));
        BindingException e = assertThrows(BindingException.class, () -> memory.applyToCurrentThread(MemoryMode.BIND, CpuSet.of(1)));
        assertEquals(1, e.errno());
        assertEquals("set_mempolicy(bind 1) failed: EPERM (1), blocked by the container's seccomp profile or missing CAP_SYS_NICE (docker: --cap-add SYS_NICE)",
                e.getMessage());
    }

    @Test
    void readBackFailureIsABindingException() {
        MemoryPolicies memory = new KernelMemoryPolicies(new FakeKernel(0, 38, 0, 0));
        BindingException e = assertThrows(BindingException.class, memory::currentThread);
        assertEquals("get_mempolicy of the current thread failed: ENOSYS (38)", e.getMessage());
    }

    @Test
    void modeFlagsAreMaskedOff() throws BindingException {
        int bindStatic = 2 | (1 << 15); // MPOL_BIND | MPOL_F_STATIC_NODES, as numactl --membind=static sets it
        assertEquals("bind 0-1", new KernelMemoryPolicies(new FakeKernel(0, 0, bindStatic, 0b11)).currentThread().describe());
    }

    @Test
    void preferredWithoutNodesIsLocalAsOldKernelsReportIt() throws BindingException {
        assertEquals(MemoryMode.LOCAL, new KernelMemoryPolicies(new FakeKernel(0, 0, 1, 0)).currentThread().mode());
    }

    @Test
    void policiesSetOutsideTheAgentAreDescribed() throws BindingException {
        assertEquals("preferred-many 2-3", new KernelMemoryPolicies(new FakeKernel(0, 0, 5, 0b1100)).currentThread().describe());
        assertEquals("weighted-interleave 0,2", new KernelMemoryPolicies(new FakeKernel(0, 0, 6, 0b101)).currentThread().describe());
    }

    @Test
    void unknownModeIsABindingException() {
        BindingException e = assertThrows(BindingException.class, () -> new KernelMemoryPolicies(new FakeKernel(0, 0, 9, 0)).currentThread());
        assertTrue(e.getMessage().contains("mode 9"), e.getMessage());
    }

    @Test
    void newerModeRefusedWithEinvalMentionsTheKernel() {
        MemoryPolicies memory = new KernelMemoryPolicies(new FakeKernel(22, 0, 0, 0));
        BindingException e = assertThrows(BindingException.class, () -> memory.applyToCurrentThread(MemoryMode.WEIGHTED_INTERLEAVE, CpuSet.of(0, 1)));
        assertTrue(e.getMessage().endsWith("or this kernel predates weighted-interleave"), e.getMessage());
    }
}
