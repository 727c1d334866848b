package io.numaagent.placement;

import io.numaagent.bootstrap.ThreadStartListener;
import io.numaagent.config.Rule;
import io.numaagent.instrumentation.ThreadIntrospection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The listener armed at premain, before the agent has read the machine. Reading sysfs, planning,
 * logging the start-up report and loading the native libraries take a cold JVM 100 ms or more;
 * done in premain, every engine would start that much later. They run on the agent's start-up
 * thread instead, and this listener stands in for the {@link ThreadPlacer} until it exists.
 *
 * <p>A thread that starts in that window and that a rule names (the rules are known: the
 * configuration is read in premain) waits, bounded, for the placer, so it is pinned before it runs
 * any engine code, exactly as later ones are. A thread no rule names goes on at once. JDK-internal
 * threads and the agent's own never wait (they may be what the start-up work waits for); one of them
 * that a rule names is left unpinned and listed in {@link #missed()}.
 *
 * <p>Once {@link #ready} was called every call is handed on, at the cost of one volatile read.
 */
public final class DeferredPlacer implements ThreadStartListener {

    private final RuleMatcher matcher;
    private final long waitMillis;
    private final CountDownLatch readyLatch = new CountDownLatch(1);
    private volatile ThreadStartListener placer;
    private volatile Thread startupThread;
    /** Guarded by {@code this}: threads a rule named that could not wait, until {@link #ready}. */
    private List<String> missed = new ArrayList<>();

    /**
     * @param rules      the configured rules (a rule the machine turns out to lack a device for is
     *                   dropped later by the placer; a thread it names has only waited for nothing)
     * @param waitMillis how long a named thread waits for the placer
     */
    public DeferredPlacer(List<Rule> rules, long waitMillis) {
        this.matcher = new RuleMatcher(rules);
        this.waitMillis = waitMillis;
    }

    public DeferredPlacer(List<Rule> rules) {
        this(rules, ThreadPlacer.BINDING_WAIT_MILLIS);
    }

    /** The thread doing the start-up work: it never waits for itself. */
    public void startupOn(Thread thread) {
        startupThread = thread;
    }

    /**
     * Hands every later call to {@code ready}; threads waiting now go on into it.
     *
     * @return the names of threads a rule named that started before and could not wait
     */
    public List<String> ready(ThreadStartListener ready) {
        List<String> notWaited;
        synchronized (this) {
            placer = ready;
            notWaited = missed;
            missed = List.of();
        }
        readyLatch.countDown();
        return notWaited;
    }

    /** The placer, or null while the start-up work is still running. */
    public ThreadStartListener placer() {
        return placer;
    }

    @Override
    public void threadStarted(Thread thread) {
        ThreadStartListener ready = placer;
        if (ready == null) {
            ready = awaitIfNamed(thread);
        }
        if (ready != null) {
            ready.threadStarted(thread);
        }
    }

    @Override
    public void threadEnded(Thread thread) {
        // A thread that ended before the placer existed was never placed.
        ThreadStartListener ready = placer;
        if (ready != null) {
            ready.threadEnded(thread);
        }
    }

    @Override
    public void threadRenamed(Thread thread) {
        ThreadStartListener ready = placer;
        if (ready == null && thread == Thread.currentThread()) {
            // A thread naming itself in run() is placed under its new name, as later.
            ready = awaitIfNamed(thread);
        }
        if (ready != null) {
            ready.threadRenamed(thread);
        }
    }

    /** The placer after waiting for it, when a rule names the thread and it may wait; else null. */
    private ThreadStartListener awaitIfNamed(Thread thread) {
        if (matcher.isEmpty() || ThreadIntrospection.isVirtual(thread)) {
            return null;
        }
        Runnable task = ThreadIntrospection.initialRunnable(thread);
        if (matcher.match(thread.getName(), thread.getClass(), task == null ? null : task.getClass().getName()) == null) {
            return null;
        }
        if (thread.getClass().getName().startsWith("jdk.internal.") || thread == startupThread) {
            synchronized (this) {
                if (placer == null) {
                    missed.add(thread.getName());
                    return null;
                }
                return placer;
            }
        }
        try {
            readyLatch.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ThreadStartListener ready = placer;
        if (ready == null) {
            synchronized (this) {
                if (placer == null) {
                    missed.add(thread.getName());
                }
                return placer;
            }
        }
        return ready;
    }
}
