package io.numaagent.placement;

import io.numaagent.binding.Binding;
import io.numaagent.binding.BindingException;
import io.numaagent.binding.CpuLease;
import io.numaagent.binding.MemoryMode;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.bootstrap.ThreadStartListener;
import io.numaagent.config.AgentConfig;
import io.numaagent.instrumentation.ThreadIntrospection;
import io.numaagent.topology.CpuSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What runs inside each starting thread: match it against the rules, and pin a matched thread to
 * its device's CPUs and memory, read the binding back from the kernel and log one line. An
 * unmatched thread costs one rule scan, unless a pinned worker created it: Linux gives a new thread
 * its creator's mask and memory policy, so such a thread gets the process defaults back.
 *
 * <p>Every method is called from {@code ThreadStartHook}, which swallows any throwable; still,
 * each failure here is reported as one warning and leaves the thread unpinned.
 */
public final class ThreadPlacer implements ThreadStartListener {

    private static final int EINVAL = 22;

    /** Set in pinned workers; a thread they create inherits it (InheritableThreadLocal). */
    private static final InheritableThreadLocal<Boolean> CREATED_BY_WORKER = new InheritableThreadLocal<>();

    /** How long a worker that starts before the native libraries are loaded waits for them. */
    static final long BINDING_WAIT_MILLIS = 10_000;

    private final AgentConfig config;
    private final RuleMatcher matcher;
    private final Planner planner;
    private final BindingHandle bindingHandle;
    private final CpuSet startMask;
    /** Set from {@link #bindingHandle} by the first thread that needs it; read only after {@link #binding(Thread)}. */
    private volatile Binding binding;
    private volatile ProcessCpuPolicy processCpus;
    private final Supplier<CpuSet> allowedNow;
    private final Logger log;
    private final ThreadLocal<PinnedThread> current = new ThreadLocal<>();
    /** By Java thread id: a pin reads the kernel thread id only when something needs it (see {@link #pin}). */
    private final Map<Long, PinnedThread> pinned = new ConcurrentHashMap<>();
    /** A class, not a method reference: built on the start-up thread, where each lambda costs a cold JVM a generated class. */
    private final Supplier<Set<Integer>> pinnedTids = new PinnedTids();
    private final Set<String> warnedFailures = ConcurrentHashMap.newKeySet();
    private final SlotAllocator slots = new SlotAllocator();

    public ThreadPlacer(AgentConfig config, Planner planner, BindingHandle bindingHandle, CpuSet startMask, Logger log) {
        this(config, planner, bindingHandle, startMask, log, LiveAllowedCpus.live());
    }

    /** With a binding that is ready already (tests). */
    ThreadPlacer(AgentConfig config, Planner planner, Binding binding, CpuSet startMask, Logger log, Supplier<CpuSet> allowedNow) {
        this(config, planner, BindingHandle.of(binding), startMask, log, allowedNow);
    }

    /**
     * @param allowedNow the CPUs the process may use now, read when the kernel refused or trimmed a
     *                   binding (the seam where tests shrink the cpuset or take a CPU offline)
     */
    ThreadPlacer(AgentConfig config, Planner planner, BindingHandle bindingHandle, CpuSet startMask, Logger log, Supplier<CpuSet> allowedNow) {
        this.config = config;
        this.matcher = new RuleMatcher(config.rules());
        this.planner = planner;
        this.bindingHandle = bindingHandle;
        this.startMask = startMask;
        this.allowedNow = allowedNow;
        this.log = log;
    }

    /**
     * The binding, once loaded; null (with one warning) when it is not ready in time. JDK-internal
     * threads never wait: JNA's loading starts one (the process reaper of {@code ldconfig}), and
     * if it waited for JNA to finish loading, neither would. The loader thread never waits for itself.
     */
    private Binding binding(Thread thread) {
        Binding ready = binding;
        if (ready != null) {
            return ready;
        }
        ready = bindingHandle.now();
        if (ready == null) {
            bindingHandle.startLoading();
            boolean mayWait = !thread.getClass().getName().startsWith("jdk.internal.") && !bindingHandle.isLoader(thread);
            ready = mayWait ? bindingHandle.await(BINDING_WAIT_MILLIS) : null;
            if (ready == null) {
                warnOnce("binding-not-ready", "thread '{}' left unpinned: the native libraries were not loaded {}",
                        thread.getName(), mayWait ? "within " + BINDING_WAIT_MILLIS + " ms" : "yet (JDK-internal and agent threads do not wait)");
                return null;
            }
        }
        synchronized (this) {
            if (processCpus == null) {
                processCpus = new ProcessCpuPolicy(config.processCpus(), startMask, ready.cpus(), log);
            }
            binding = ready;
        }
        return ready;
    }

    /** The workers pinned now, by Java thread id ({@link Thread#getId()}). */
    public Map<Long, PinnedThread> pinned() {
        return Collections.unmodifiableMap(pinned);
    }

    /** The kernel thread ids of the workers pinned now: for process.cpus = union, under which every pin reads its tid. */
    private final class PinnedTids implements Supplier<Set<Integer>> {
        @Override
        public Set<Integer> get() {
            Set<Integer> tids = new HashSet<>();
            for (PinnedThread p : pinned.values()) {
                tids.add(p.tid());
            }
            return tids;
        }
    }

    @Override
    public void threadStarted(Thread thread) {
        if (matcher.isEmpty() || ThreadIntrospection.isVirtual(thread) || bindingHandle.isLoader(thread)) {
            return;
        }
        try {
            ThreadMatch match = match(thread);
            if (match != null) {
                pin(thread, match);
            } else if (CREATED_BY_WORKER.get() != null) {
                restoreDefaults(thread, "created by a pinned worker");
            }
        } catch (RuntimeException | LinkageError e) {
            unexpected(thread, e);
        }
    }

    @Override
    public void threadEnded(Thread thread) {
        PinnedThread p = current.get();
        if (p == null) {
            return;
        }
        current.remove();
        pinned.remove(thread.getId(), p);
        if (p.lease() != null) {
            p.lease().release();
            if (log.isDebugEnabled()) {
                log.debug("{} ended: released exclusive CPUs {}", p.name(), p.lease().cpus().toList());
            }
        }
        if (p.slot() >= 0) {
            slots.release(p.placement(), p.slot());
        }
    }

    /**
     * A thread that names itself inside {@code run()} was matched under its old name. It is
     * placed again under the new one; a thread renamed by another thread is not, because a
     * memory policy can only be set by the thread itself.
     */
    @Override
    public void threadRenamed(Thread thread) {
        if (thread != Thread.currentThread() || matcher.isEmpty()) {
            if (!matcher.isEmpty()) {
                log.debug("thread renamed to '{}' by another thread: its placement is unchanged", thread.getName());
            }
            return;
        }
        try {
            ThreadMatch match = match(thread);
            PinnedThread before = current.get();
            if (before != null && match != null && before.placement().match().equals(match)) {
                return;
            }
            if (before != null) {
                threadEnded(thread);
            }
            if (match != null) {
                pin(thread, match);
            } else if (before != null) {
                restoreDefaults(thread, "renamed to a name no rule matches");
            }
        } catch (RuntimeException | LinkageError e) {
            unexpected(thread, e);
        }
    }

    private ThreadMatch match(Thread thread) {
        Runnable task = ThreadIntrospection.initialRunnable(thread);
        return matcher.match(thread.getName(), thread.getClass(), task == null ? null : task.getClass().getName());
    }

    private void pin(Thread thread, ThreadMatch match) {
        String name = thread.getName();
        Planner.Result result = planner.plan(match);
        if (result.placement().isEmpty()) {
            warnOnce(match.rule().name() + '\0' + match.deviceName(),
                    "thread '{}' left unpinned: rule {}: {}", name, match.rule().name(), result.failure());
            return;
        }
        Placement placement = result.placement().get();
        if (binding(thread) == null) {
            return;
        }
        if (!binding.cpus().available()) {
            warnOnce("no-affinity", "thread '{}' left unpinned: CPU binding is unavailable (see the warning logged when the native libraries loaded)", name);
            return;
        }
        // The kernel thread id costs a JNA call, as much as half the pin itself: read only when needed, by the
        // exclusive lease's owner text, process.cpus = union (which moves every thread but the workers) or the log line.
        boolean exclusive = placement.choice().exclusive();
        int tid = exclusive || processCpus.tracksWorkerTids() ? binding.cpus().currentTid() : -1;
        CpuLease lease = null;
        int slot = -1;
        boolean recorded = false;
        try {
            CpuSet target = placement.nodeCpus();
            CpuSet memoryNodes = placement.memoryNodes();
            ThreadSlot place = null;
            if (exclusive) {
                // Per thread: the cached placement lists the candidates, the lease picks this thread's CPUs.
                Optional<CpuLease> leased = binding.exclusive().acquire(placement.exclusiveCandidates(), name + " (tid " + tid + ")");
                if (leased.isPresent()) {
                    lease = leased.get();
                    target = placement.exclusiveBinding(lease.cpus());
                }
            } else if (placement.usesSlots()) {
                slot = slots.acquire(placement);
                place = placement.slot(slot);
                target = place.cpus();
                memoryNodes = place.memoryNodes();
            }
            Bound bound;
            try {
                processCpus.beforeWorkerPinned(placement.nodeCpus(), pinnedTids);
                bound = bindWithinAllowed(name, target, placement.nodeCpus());
            } catch (BindingException e) {
                log.warn("thread '{}' left unpinned: binding to CPUs {} failed: {}", name, target.toList(), e.getMessage());
                return;
            }
            if (lease != null && !bound.kernel().intersects(lease.cpus())) {
                // The leased CPUs are gone (offline, out of the cpuset): holding them would only block others.
                lease.release();
                lease = null;
            }
            target = bound.requested();
            CpuSet kernelCpus = bound.kernel();
            MemoryOutcome memory = applyMemory(placement, memoryNodes);
            MemoryPolicyState kernelMemory = memory.kernel();
            boolean cpusConfirmed = target.equals(kernelCpus);
            boolean memoryConfirmed = placement.memoryMode() == null
                    || kernelMemory != null && memoryMatches(placement, memoryNodes, kernelMemory);
            boolean confirmed = cpusConfirmed && memoryConfirmed && memory.note().isEmpty();
            boolean fellBack = exclusive && lease == null;
            boolean quiet = confirmed && !fellBack;
            boolean printed = quiet ? log.isInfoEnabled() : log.isWarnEnabled();
            if (tid < 0 && printed) {
                tid = binding.cpus().currentTid();
            }
            PinnedThread p = new PinnedThread(name, tid, placement, target, kernelCpus, kernelMemory, lease, slot, confirmed);
            current.set(p);
            pinned.put(thread.getId(), p);
            recorded = true;
            CREATED_BY_WORKER.set(Boolean.TRUE);
            if (!printed) {
                return; // the line and its notes are only built when it is printed
            }
            String placeNote = fellBack ? "; " + Planner.noFreeExclusive(placement)
                    : place == null ? ""
                    : "; " + placement.choice().word() + ": thread " + (slot + 1) + " of the rule on " + match.deviceName() + " -> " + place.what();
            String line = "pinned thread '{}' tid {} rule {} device {} node {} cpus {} memory {}: {}{}{}{}";
            Object[] args = {name, tid, match.rule().name(), match.deviceName(), nodeText(placement),
                    target.toList(), placement.describeMemory(memoryNodes),
                    confirmed ? "confirmed by the kernel" : "NOT confirmed",
                    cpusConfirmed ? "" : " (kernel reports cpus " + kernelCpus.toList() + ")",
                    memoryConfirmed ? "" : " (kernel reports memory " + (kernelMemory == null ? "unreadable" : kernelMemory.describe()) + ")",
                    memory.note() + placeNote + (placement.notes().isEmpty() ? "" : "; " + String.join("; ", placement.notes()))};
            if (quiet) {
                log.info(line, args);
            } else {
                log.warn(line, args);
            }
        } finally {
            // Whatever went wrong before the thread was recorded, its exclusive CPUs and slot go back.
            if (!recorded && lease != null) {
                lease.release();
            }
            if (!recorded && slot >= 0) {
                slots.release(placement, slot);
            }
        }
    }

    /**
     * A bind's outcome: the CPUs the agent asked for last and the kernel's read-back of them (the
     * same object when the kernel applied exactly the request).
     */
    private record Bound(CpuSet requested, CpuSet kernel) {
    }

    /**
     * Binds the calling thread to {@code target}, with the one read-back the bind makes. When the
     * kernel refuses it (EINVAL: none of its CPUs is online and allowed) or trims it (some are not),
     * the machine changed after start: a CPU went offline or the cgroup cpuset shrank. Then the CPUs
     * allowed now are read, {@code target} (or, when none of it is left, the device's node CPUs) is
     * cut to them, the bind is tried once more, and one warning says what happened.
     *
     * @return what was asked last and what the kernel reported for it
     * @throws BindingException when the kernel refuses for another reason, or nothing allowed is left
     */
    private Bound bindWithinAllowed(String name, CpuSet target, CpuSet nodeCpus) throws BindingException {
        CpuSet readBack;
        BindingException refused;
        try {
            readBack = binding.cpus().bindCurrentThread(target);
            if (target.equals(readBack)) {
                return new Bound(target, readBack);
            }
            refused = null;
        } catch (BindingException e) {
            if (e.errno() != EINVAL) {
                throw e;
            }
            readBack = null;
            refused = e;
        }
        CpuSet allowed = allowedNow.get();
        CpuSet retry = target.intersect(allowed);
        if (retry.isEmpty()) {
            retry = nodeCpus.intersect(allowed);
        }
        String what = refused != null ? "refused (EINVAL)" : "trimmed to " + (readBack == null ? "nothing" : readBack.toList());
        if (retry.isEmpty()) {
            String why = "the kernel " + what + " CPUs " + target.toList() + " and none of them nor of the device's CPUs "
                    + nodeCpus.toList() + " is allowed now (CPUs online and in the cpuset: "
                    + (allowed.isEmpty() ? "unreadable" : allowed.toList()) + ")";
            if (readBack != null && !readBack.isEmpty()) {
                // The kernel kept a part: better than the creator's mask.
                warnOnce("gone:" + target + '\0' + allowed, "thread '{}': {}; keeping the kernel's {}", name, why, readBack.toList());
                return new Bound(readBack, readBack);
            }
            throw new BindingException(why);
        }
        CpuSet kernel = retry.equals(readBack) ? readBack : binding.cpus().bindCurrentThread(retry);
        warnOnce("shrunk:" + target + '\0' + allowed,
                "thread '{}': the kernel {} CPUs {}: CPUs online and in the cpuset are now {} (a CPU went offline or the cpuset"
                        + " shrank after start); bound to {} instead", name, what, target.toList(),
                allowed.isEmpty() ? "unreadable" : allowed.toList(), kernel.toList());
        return new Bound(retry, kernel);
    }

    /** The memory policy as the kernel reported it right after setting it (null when none was set or it is unreadable), and a note when it was not applied. */
    private record MemoryOutcome(MemoryPolicyState kernel, String note) {
        static final MemoryOutcome UNCHANGED = new MemoryOutcome(null, "");
    }

    /**
     * Applies the rule's memory policy. The kernel's read-back is the one the set makes
     * ({@link io.numaagent.binding.MemoryPolicies#applyToCurrentThread}); only when the set failed is the
     * policy read again, for the warning. No policy: no system call at all.
     */
    private MemoryOutcome applyMemory(Placement placement, CpuSet memoryNodes) {
        MemoryMode mode = placement.memoryMode();
        if (mode == null) {
            return MemoryOutcome.UNCHANGED;
        }
        if (!binding.memory().available()) {
            return new MemoryOutcome(null, "; memory policy not applied: memory policy is unavailable (see the warning logged when the native libraries loaded)");
        }
        try {
            return new MemoryOutcome(binding.memory().applyToCurrentThread(mode, memoryNodes), "");
        } catch (BindingException e) {
            return new MemoryOutcome(readMemory(), "; memory policy not applied: " + e.getMessage());
        }
    }

    private static boolean memoryMatches(Placement placement, CpuSet memoryNodes, MemoryPolicyState state) {
        if (placement.memoryMode() == MemoryMode.LOCAL) {
            // Kernels before 5.x report local allocation as MPOL_DEFAULT.
            return state.mode() == MemoryMode.LOCAL || state.mode() == MemoryMode.DEFAULT;
        }
        return state.mode() == placement.memoryMode() && state.nodes().equals(memoryNodes);
    }

    private void restoreDefaults(Thread thread, String why) {
        CREATED_BY_WORKER.remove();
        if (binding(thread) == null || !binding.cpus().available()) {
            return;
        }
        CpuSet mask = processCpus.defaultMask();
        try {
            bindWithinAllowed(thread.getName(), mask, mask);
            if (binding.memory().available()) {
                binding.memory().applyToCurrentThread(MemoryMode.DEFAULT, CpuSet.EMPTY);
            }
            log.debug("thread '{}' ({}) given the process CPUs {} and the default memory policy back", thread.getName(), why, mask.toList());
        } catch (BindingException e) {
            log.warn("thread '{}' ({}) keeps its creator's binding: restoring CPUs {} failed: {}", thread.getName(), why, mask.toList(), e.getMessage());
        }
    }

    /** A bug of the agent's, not of the engine: one warning per kind, the thread runs on unpinned. */
    private void unexpected(Thread thread, Throwable e) {
        warnOnce("unexpected:" + e.getClass().getName(), "thread '{}' left as it is: unexpected {} in the agent: {}",
                thread.getName(), e.getClass().getName(), e.getMessage());
    }

    private MemoryPolicyState readMemory() {
        if (!binding.memory().available()) {
            return null;
        }
        try {
            return binding.memory().currentThread();
        } catch (BindingException e) {
            return null;
        }
    }

    private static String nodeText(Placement placement) {
        int node = placement.location().node();
        return node < 0 ? "none" : Integer.toString(node);
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warnedFailures.add(key)) {
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }
}
