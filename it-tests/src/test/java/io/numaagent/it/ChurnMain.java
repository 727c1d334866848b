package io.numaagent.it;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine that churns threads, run by {@link ThreadChurnTest} under the agent: a pool that recycles
 * its threads (core size 0, keep-alive 1 ns, so nearly every task starts a new thread) until
 * {@code starts} threads have started; 64 threads started at one instant; a thread renamed by itself
 * and by another thread after it started. Every thread counts exceptions that reach it. Prints
 * {@code key=value} lines the test reads: used heap after GC at {@code checkpoint} starts and at the end,
 * the number of uncaught exceptions, and {@code DONE}.
 *
 * <p>Args: {@code starts checkpoint}.
 */
public final class ChurnMain {

    private static final AtomicInteger UNCAUGHT = new AtomicInteger();
    private static final int SAMPLE_EVERY = 500;
    private static final AtomicInteger SAMPLES = new AtomicInteger();
    private static final AtomicInteger SAMPLES_ON_ONE_CPU = new AtomicInteger();
    /** As many tasks at once as the machine has CPUs (2), so exclusive CPUs are taken and released all the time. */
    private static final int IN_FLIGHT = 2;

    private ChurnMain() {
    }

    public static void main(String[] args) throws Exception {
        int starts = Integer.parseInt(args[0]);
        int checkpoint = Integer.parseInt(args[1]);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            UNCAUGHT.incrementAndGet();
            System.out.println("uncaught in " + t.getName() + ": " + e);
        });
        long t0 = System.nanoTime();
        recyclingPool(starts, checkpoint);
        System.out.println("pool-seconds=" + (System.nanoTime() - t0) / 1_000_000_000.0);
        burst(64);
        renames();
        awaitNoChurnThreadAlive();
        System.out.println("heap-end=" + usedHeapAfterGc());
        System.out.println("uncaught=" + UNCAUGHT.get());
        System.out.println("samples=" + SAMPLES.get());
        System.out.println("samples-on-one-cpu=" + SAMPLES_ON_ONE_CPU.get());
        System.out.println("DONE");
    }

    private static void recyclingPool(int starts, int checkpoint) throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "churn-" + started.incrementAndGet());
            t.setUncaughtExceptionHandler((th, e) -> UNCAUGHT.incrementAndGet());
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, IN_FLIGHT * 2, 1, TimeUnit.NANOSECONDS, new SynchronousQueue<>(), factory);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        boolean checkpointed = false;
        while (started.get() < starts) {
            inFlight.acquire();
            boolean sample = started.get() % SAMPLE_EVERY == 0;
            Runnable task = () -> {
                try {
                    if (sample) {
                        sampleMask();
                    }
                } finally {
                    inFlight.release();
                }
            };
            while (true) {
                try {
                    pool.execute(task);
                    break;
                } catch (RejectedExecutionException full) {
                    Thread.yield();
                }
            }
            if (!checkpointed && started.get() >= checkpoint) {
                checkpointed = true;
                System.out.println("heap-checkpoint=" + usedHeapAfterGc() + " at " + started.get());
            }
        }
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool did not terminate");
        }
        System.out.println("starts=" + started.get());
    }

    /** {@code n} threads whose start() calls happen at one instant: each starter waits at a barrier first. */
    private static void burst(int n) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n);
        List<Thread> starters = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread worker = new Thread(() -> Thread.currentThread().getName(), "churn-burst-" + i);
            worker.setUncaughtExceptionHandler((th, e) -> UNCAUGHT.incrementAndGet());
            workers.add(worker);
            Thread starter = new Thread(() -> {
                try {
                    barrier.await();
                    worker.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "starter-" + i);
            starters.add(starter);
            starter.start();
        }
        for (Thread t : starters) {
            t.join();
        }
        for (Thread t : workers) {
            t.join();
        }
        System.out.println("burst=" + n);
    }

    /** A worker renamed by itself (to a name no rule matches and back) and by another thread. */
    private static void renames() throws InterruptedException {
        Object gate = new Object();
        Thread worker = new Thread(() -> {
            Thread self = Thread.currentThread();
            self.setName("renamed-unmatched");
            self.setName("churn-renamed");
            synchronized (gate) {
                try {
                    gate.wait(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "churn-rename");
        worker.setUncaughtExceptionHandler((th, e) -> UNCAUGHT.incrementAndGet());
        worker.start();
        Thread.sleep(100);
        worker.setName("renamed-by-main");
        synchronized (gate) {
            gate.notifyAll();
        }
        worker.join();
        System.out.println("renamed=" + worker.getName());
    }

    /** A pool reports termination a moment before its threads' run() returns, where the agent releases their CPUs. */
    private static void awaitNoChurnThreadAlive() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("churn-"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Whether the agent pinned this pool thread: its kernel mask is one CPU (the machine has two). */
    private static void sampleMask() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    SAMPLES.incrementAndGet();
                    String list = line.substring(line.indexOf(':') + 1).trim();
                    if (!list.contains(",") && !list.contains("-")) {
                        SAMPLES_ON_ONE_CPU.incrementAndGet();
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
