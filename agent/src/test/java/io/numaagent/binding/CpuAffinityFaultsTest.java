package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.topology.CpuSet;
import org.junit.jupiter.api.Test;

/** Kernel answers this host cannot produce on demand (EPERM, a kernel built for 4096 CPUs), through the CpuCalls seam. */
class CpuAffinityFaultsTest {

    /** A kernel that refuses every set with one errno and has a CPU mask of {@code kernelMaskLongs} longs with CPUs 0-3. */
    record FakeKernel(int setErrno, int kernelMaskLongs) implements CpuCalls {
        @Override
        public int setAffinity(long[] mask) {
            return setErrno;
        }

        @Override
        public int setThreadAffinity(int tid, long[] mask) {
            return setErrno;
        }

        @Override
        public int getAffinity(long[] mask) {
            if (mask.length < kernelMaskLongs) {
                return 22;
            }
            mask[0] = 0xF;
            return 0;
        }

        @Override
        public int currentTid() {
            return 4242;
        }
    }

    @Test
    void bindingAnEndedThreadSaysItHasEnded() {
        CpuAffinity cpus = new KernelCpuAffinity(new FakeKernel(3, 16));
        BindingException e = assertThrows(BindingException.class, () -> cpus.bindThread(77, CpuSet.of(0)));
        assertTrue(e.getMessage().contains("thread 77") && e.getMessage().contains("the thread has ended"), e.getMessage());
    }

    @Test
    void epermIsABindingExceptionNamingEperm() {
        CpuAffinity cpus = new KernelCpuAffinity(new FakeKernel(1, 16));
        BindingException e = assertThrows(BindingException.class, () -> cpus.bindCurrentThread(CpuSet.of(2)));
        assertEquals(1, e.errno());
        assertEquals("sched_setaffinity to CPUs 2 failed: EPERM (1), not permitted (another user's thread, or a security policy)", e.getMessage());
    }

    @Test
    void einvalMessageSaysWhichCpusTheThreadMayUse() {
        CpuAffinity cpus = new KernelCpuAffinity(new FakeKernel(22, 16));
        BindingException e = assertThrows(BindingException.class, () -> cpus.bindCurrentThread(CpuSet.of(9)));
        assertTrue(e.getMessage().startsWith("sched_setaffinity to CPUs 9 failed: EINVAL (22), "), e.getMessage());
        assertTrue(e.getMessage().endsWith("it may run on 0-3"), e.getMessage());
    }

    @Test
    void unknownErrnoIsStillNamedByNumber() {
        CpuAffinity cpus = new KernelCpuAffinity(new FakeKernel(77, 16));
        BindingException e = assertThrows(BindingException.class, () -> cpus.bindCurrentThread(CpuSet.of(1)));
        assertEquals("sched_setaffinity to CPUs 1 failed: errno (77)", e.getMessage());
    }

    @Test
    void readBackGrowsTheMaskForKernelsWithMoreThan1024Cpus() throws BindingException {
        CpuAffinity cpus = new KernelCpuAffinity(new FakeKernel(0, 64)); // NR_CPUS 4096
        assertEquals(CpuSet.range(0, 3), cpus.currentThread());
        assertEquals(CpuSet.range(0, 3), cpus.bindCurrentThread(CpuSet.of(1)));
    }
}
