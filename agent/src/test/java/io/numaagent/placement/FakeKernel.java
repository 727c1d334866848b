package io.numaagent.placement;

import io.numaagent.binding.BindingException;
import io.numaagent.binding.CpuAffinity;
import io.numaagent.topology.CpuSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel's CPU-mask calls as Linux answers them, over a set of CPUs the test changes while threads
 * run (a CPU going offline, a cpuset shrinking): a requested mask is cut to the allowed CPUs, and
 * refused with EINVAL when nothing is left. A new thread starts with the allowed CPUs, as a thread
 * created by an unpinned one does. Optionally refuses every bind with one errno (EPERM), or throws
 * an unchecked exception (an agent bug).
 */
class FakeKernel implements CpuAffinity {

    private static final int EINVAL = 22;

    private volatile CpuSet allowed;
    private volatile int refuseWith;
    private volatile RuntimeException bug;
    private final ThreadLocal<CpuSet> mask = ThreadLocal.withInitial(() -> allowed);
    private final AtomicInteger tids = new AtomicInteger(1000);
    private final ThreadLocal<Integer> tid = ThreadLocal.withInitial(tids::incrementAndGet);
    private final AtomicInteger binds = new AtomicInteger();

    FakeKernel(CpuSet allowed) {
        this.allowed = allowed;
    }

    /** The CPUs online and in the cpuset from now on; the answer of the {@code allowedNow} seam too. */
    void allow(CpuSet cpus) {
        allowed = cpus;
    }

    CpuSet allowed() {
        return allowed;
    }

    void refuseEveryBindWith(int errno) {
        refuseWith = errno;
    }

    void throwOnBind(RuntimeException e) {
        bug = e;
    }

    int binds() {
        return binds.get();
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public CpuSet bindCurrentThread(CpuSet cpus) throws BindingException {
        binds.incrementAndGet();
        if (bug != null) {
            throw bug;
        }
        if (refuseWith != 0) {
            throw new BindingException("sched_setaffinity to CPUs " + cpus + " failed: errno " + refuseWith, refuseWith);
        }
        CpuSet applied = cpus.intersect(allowed);
        if (applied.isEmpty()) {
            throw new BindingException("sched_setaffinity to CPUs " + cpus + " failed: EINVAL (22)", EINVAL);
        }
        mask.set(applied);
        return applied;
    }

    @Override
    public void bindThread(int tid, CpuSet cpus) {
        binds.incrementAndGet();
    }

    @Override
    public CpuSet currentThread() {
        return mask.get();
    }

    @Override
    public int currentTid() {
        return tid.get();
    }
}
