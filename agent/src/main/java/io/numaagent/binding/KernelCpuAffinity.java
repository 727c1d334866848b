package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.Arrays;

/**
 * {@link CpuAffinity} over {@link CpuCalls}: argument checks, errno to a one-line message, and the
 * read-back. A pin is one {@code sched_setaffinity} and one {@code sched_getaffinity} into the same
 * {@code long[]}, compared word by word with the request: when the kernel applied exactly what was asked
 * (the usual case), the requested {@link CpuSet} itself is returned and nothing else is allocated.
 */
final class KernelCpuAffinity implements CpuAffinity {

    private static final int EINVAL = 22;
    private static final int EPERM = 1;
    /** Kernels refuse a read into a mask shorter than theirs (nr_cpu_ids bits); 1M CPUs is where libnuma stops too. */
    private static final int MAX_MASK_LONGS = 1 << 14;

    private final CpuCalls calls;
    /**
     * The shortest mask the kernel accepts for a read, in longs: found on the first read by doubling
     * from one word (one on machines of up to 64 possible CPUs), then kept. Racy reads are harmless:
     * it only grows, and a read into a mask too short is retried longer.
     */
    private volatile int maskLongs = 1;

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
        long[] mask = maskOf(cpus);
        int errno = calls.setAffinity(mask);
        if (errno != 0) {
            throw BindingException.ofErrno("sched_setaffinity to CPUs " + cpus.toList(), errno, hint(errno));
        }
        // The one read-back: the kernel trims a mask partly outside the allowed CPUs without an error.
        Arrays.fill(mask, 0L);
        mask = read(mask);
        return cpus.sameWords(mask) ? cpus : CpuSet.fromWords(mask);
    }

    @Override
    public void bindThread(int tid, CpuSet cpus) throws BindingException {
        if (cpus == null || cpus.isEmpty()) {
            throw new BindingException("cannot bind a thread to an empty CPU set");
        }
        int errno = calls.setThreadAffinity(tid, maskOf(cpus));
        if (errno != 0) {
            throw BindingException.ofErrno("sched_setaffinity of thread " + tid + " to CPUs " + cpus.toList(), errno,
                    errno == 3 ? "the thread has ended" : "");
        }
    }

    /** The kernel's mask length, or longer when the set names CPUs past it (the kernel then says EINVAL or ignores them). */
    private long[] maskOf(CpuSet cpus) {
        long[] mask = new long[Math.max(maskLongs, cpus.wordCount())];
        cpus.copyWords(mask);
        return mask;
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
        return CpuSet.fromWords(read(new long[maskLongs]));
    }

    /** Reads the calling thread's mask into {@code mask}, or into a longer array when the kernel's is longer. */
    private long[] read(long[] mask) throws BindingException {
        long[] into = mask;
        while (true) {
            int errno = calls.getAffinity(into);
            if (errno == 0) {
                if (into != mask && into.length > maskLongs) {
                    maskLongs = into.length; // grown on EINVAL: the kernel's mask is longer than thought
                }
                return into;
            }
            if (errno != EINVAL || into.length >= MAX_MASK_LONGS) {
                throw BindingException.ofErrno("sched_getaffinity of the current thread", errno, "");
            }
            into = new long[Math.max(into.length * 2, maskLongs)];
        }
    }

    @Override
    public int currentTid() {
        return calls.currentTid();
    }
}
