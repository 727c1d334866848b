package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.numaagent.topology.CpuSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pin is one set and one read-back, and the read-back is what is returned: through the CpuCalls and
 * NumaCalls seams, with kernels that apply, trim or ignore what is asked.
 */
class PinReadBackTest {

    /**
     * A kernel with {@code kernelLongs} mask words and CPUs {@code allowed}: a set is cut to them
     * (EINVAL when nothing is left), or ignored altogether when {@code ignoresSets}.
     */
    static final class CountingCpus implements CpuCalls {
        final int kernelLongs;
        final CpuSet allowed;
        final boolean ignoresSets;
        CpuSet mask;
        final List<Integer> setLengths = new ArrayList<>();
        final List<Integer> getLengths = new ArrayList<>();

        CountingCpus(int kernelLongs, CpuSet allowed, boolean ignoresSets) {
            this.kernelLongs = kernelLongs;
            this.allowed = allowed;
            this.ignoresSets = ignoresSets;
            this.mask = allowed;
        }

        @Override
        public int setAffinity(long[] m) {
            setLengths.add(m.length);
            CpuSet applied = CpuSet.fromWords(m).intersect(allowed);
            if (applied.isEmpty()) {
                return 22;
            }
            if (!ignoresSets) {
                mask = applied;
            }
            return 0;
        }

        @Override
        public int setThreadAffinity(int tid, long[] m) {
            return 0;
        }

        @Override
        public int getAffinity(long[] m) {
            getLengths.add(m.length);
            if (m.length < kernelLongs) {
                return 22;
            }
            mask.copyWords(m);
            return 0;
        }

        @Override
        public int currentTid() {
            return 1;
        }
    }

    @Test
    void aBindIsOneSetAndOneReadBackAndAnExactMatchReturnsTheRequestedSetItself() throws BindingException {
        CountingCpus kernel = new CountingCpus(1, CpuSet.range(0, 7), false);
        CpuAffinity cpus = new KernelCpuAffinity(kernel);
        CpuSet want = CpuSet.of(2, 3);
        assertSame(want, cpus.bindCurrentThread(want));
        assertEquals(List.of(1), kernel.setLengths);
        assertEquals(List.of(1), kernel.getLengths, "exactly one read-back");
    }

    @Test
    void aMaskTheKernelTrimmedIsReturnedAsTheKernelReadsIt() throws BindingException {
        CpuAffinity cpus = new KernelCpuAffinity(new CountingCpus(1, CpuSet.range(0, 3), false));
        assertEquals(CpuSet.of(2), cpus.bindCurrentThread(CpuSet.of(2, 5)));
    }

    @Test
    void aSetTheKernelIgnoredIsCaughtByTheReadBack() throws BindingException {
        CpuAffinity cpus = new KernelCpuAffinity(new CountingCpus(1, CpuSet.range(0, 3), true));
        assertEquals(CpuSet.range(0, 3), cpus.bindCurrentThread(CpuSet.of(1)));
    }

    @Test
    void theMaskIsSizedToTheKernelsOnceFound() throws BindingException {
        CountingCpus kernel = new CountingCpus(64, CpuSet.range(0, 3), false); // a kernel built for 4096 CPUs
        CpuAffinity cpus = new KernelCpuAffinity(kernel);
        cpus.bindCurrentThread(CpuSet.of(1));
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), kernel.getLengths, "grown by doubling on EINVAL");
        kernel.setLengths.clear();
        kernel.getLengths.clear();
        assertEquals(CpuSet.of(2), cpus.bindCurrentThread(CpuSet.of(2)));
        assertEquals(List.of(64), kernel.setLengths);
        assertEquals(List.of(64), kernel.getLengths, "one read-back at the kernel's size");
    }

    @Test
    void aSetNamingCpusPastTheKernelsMaskIsPassedWhole() throws BindingException {
        CountingCpus kernel = new CountingCpus(1, CpuSet.range(0, 3), false);
        CpuAffinity cpus = new KernelCpuAffinity(kernel);
        assertEquals(CpuSet.of(3), cpus.bindCurrentThread(CpuSet.of(3, 130)));
        assertEquals(List.of(3), kernel.setLengths);
    }

    /** set_mempolicy stores the policy; get_mempolicy reports it, or {@code reported} when not null. */
    static final class CountingNuma implements NumaCalls {
        int sets;
        int gets;
        int mode;
        long[] nodes = new long[0];
        final int[] reportedMode;
        final long reportedMask0;

        CountingNuma(int[] reportedMode, long reportedMask0) {
            this.reportedMode = reportedMode;
            this.reportedMask0 = reportedMask0;
        }

        @Override
        public int setMempolicy(int m, long[] nodemask, long maxnode) {
            sets++;
            mode = m;
            nodes = nodemask == null ? new long[0] : nodemask.clone();
            return 0;
        }

        @Override
        public int getMempolicy(int[] m, long[] nodemask, long maxnode) {
            gets++;
            if (reportedMode != null) {
                m[0] = reportedMode[0];
                nodemask[0] = reportedMask0;
                return 0;
            }
            m[0] = mode;
            System.arraycopy(nodes, 0, nodemask, 0, Math.min(nodes.length, nodemask.length));
            return 0;
        }
    }

    @Test
    void aMemoryPolicyIsOneSetAndOneReadBack() throws BindingException {
        CountingNuma kernel = new CountingNuma(null, 0);
        MemoryPolicies memory = new KernelMemoryPolicies(kernel);
        CpuSet node = CpuSet.of(1);
        MemoryPolicyState state = memory.applyToCurrentThread(MemoryMode.PREFERRED, node);
        assertEquals(new MemoryPolicyState(MemoryMode.PREFERRED, node), state);
        assertSame(node, state.nodes(), "an exact match reuses what was asked");
        assertEquals(1, kernel.sets);
        assertEquals(1, kernel.gets);
    }

    @Test
    void aMemoryPolicyTheKernelReportsDifferentlyIsReturnedAsReported() throws BindingException {
        MemoryPolicies memory = new KernelMemoryPolicies(new CountingNuma(new int[] {MemoryMode.BIND.kernelValue()}, 0b1));
        assertEquals(new MemoryPolicyState(MemoryMode.BIND, CpuSet.of(0)), memory.applyToCurrentThread(MemoryMode.PREFERRED, CpuSet.of(1)));
        MemoryPolicies defaulted = new KernelMemoryPolicies(new CountingNuma(new int[] {0}, 0));
        assertEquals(new MemoryPolicyState(MemoryMode.DEFAULT, CpuSet.EMPTY), defaulted.applyToCurrentThread(MemoryMode.INTERLEAVE, CpuSet.of(0, 1)));
    }
}
