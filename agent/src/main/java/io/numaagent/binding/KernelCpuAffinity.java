package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.BitSet;

/** {@link CpuAffinity} over {@link CpuCalls}: argument checks, errno to a one-line message, read-back. */
final class KernelCpuAffinity implements CpuAffinity {

    private static final int EINVAL = 22;
    private static final int EPERM = 1;
    /** cpu_set_t of glibc: 1024 CPUs. Grown on EINVAL for kernels built for more (NR_CPUS up to 8192). */
    private static final int FIRST_MASK_LONGS = 16;
    private static final int MAX_MASK_LONGS = 1 << 14; // 1M CPUs, where libnuma stops too

    private final CpuCalls calls;
    /** The mask length the kernel accepted last time; racy reads are harmless (it only grows). */
    private volatile int maskLongs = FIRST_MASK_LONGS;

    KernelCpuAffinity(CpuCalls calls) {
        this.calls = calls;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public CpuSet bindCurrentThread(CpuSet cpus) throws BindingException {
        if (cpus == null || cpus.isEmpty()) {
            throw new BindingException("cannot bind a thread to an empty CPU set");
        }
        int errno = calls.setAffinity(cpus);
        if (errno != 0) {
            throw BindingException.ofErrno("sched_setaffinity to CPUs " + cpus.toList(), errno, hint(errno));
        }
        return currentThread();
    }

    @Override
    public void bindThread(int tid, CpuSet cpus) throws BindingException {
        if (cpus == null || cpus.isEmpty()) {
            throw new BindingException("cannot bind a thread to an empty CPU set");
        }
        int errno = calls.setThreadAffinity(tid, cpus);
        if (errno != 0) {
            throw BindingException.ofErrno("sched_setaffinity of thread " + tid + " to CPUs " + cpus.toList(), errno,
                    errno == 3 ? "the thread has ended" : "");
        }
    }

    private String hint(int errno) {
        if (errno == EINVAL) {
            String allowed;
            try {
                allowed = currentThread().toList();
            } catch (BindingException e) {
                allowed = "unknown";
            }
            return "no CPU of the set is online and allowed for this thread (cgroup cpuset, taskset); it may run on " + allowed;
        }
        if (errno == EPERM) {
            return "not permitted (another user's thread, or a security policy)";
        }
        return "";
    }

    @Override
    public CpuSet currentThread() throws BindingException {
        int longs = maskLongs;
        while (true) {
            long[] mask = new long[longs];
            int errno = calls.getAffinity(mask);
            if (errno == 0) {
                maskLongs = longs;
                return CpuSet.fromBitSet(BitSet.valueOf(mask));
            }
            if (errno != EINVAL || longs >= MAX_MASK_LONGS) {
                throw BindingException.ofErrno("sched_getaffinity of the current thread", errno, "");
            }
            longs *= 2;
        }
    }

    @Override
    public int currentTid() {
        return calls.currentTid();
    }
}
