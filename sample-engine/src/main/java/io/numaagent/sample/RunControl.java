package io.numaagent.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where threads leave their result lines, and the gate that keeps them alive under --hold, so a test can read
 * /proc/&lt;pid&gt;/task/* while every engine thread still exists.
 */
final class RunControl {

    /** One result line; workers sort before plain threads, then by thread name. */
    record Report(boolean worker, String threadName, String line) {
    }

    private final ConcurrentLinkedQueue<Report> reports = new ConcurrentLinkedQueue<>();
    private final CountDownLatch reported;
    private final CountDownLatch release = new CountDownLatch(1);
    private final boolean hold;
    final NumaProbe probe;

    RunControl(int expectedReports, boolean hold, NumaProbe probe) {
        this.reported = new CountDownLatch(expectedReports);
        this.hold = hold;
        this.probe = probe;
    }

    /** A line for a thread that only reports where it runs. */
    String threadLine() {
        return "thread name=" + Thread.currentThread().getName() + " tid=" + ThreadSelf.tid()
                + " cpus=" + ThreadSelf.cpusAllowedList() + " mempolicy=" + probe.memoryPolicy();
    }

    void report(boolean worker, String line) {
        reports.add(new Report(worker, Thread.currentThread().getName(), line));
        reported.countDown();
    }

    /** Under --hold, blocks the calling thread until main releases it; otherwise returns at once. */
    void awaitRelease() {
        if (!hold) {
            return;
        }
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean awaitReports(long timeout, TimeUnit unit) throws InterruptedException {
        return reported.await(timeout, unit);
    }

    long missingReports() {
        return reported.getCount();
    }

    void release() {
        release.countDown();
    }

    List<Report> sortedReports() {
        List<Report> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparing((Report r) -> !r.worker()).thenComparing(Report::threadName));
        return sorted;
    }
}
