package io.numaagent.instrumentation;

import io.numaagent.bootstrap.ThreadStartListener;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The listener armed in the test JVM: records every call with a global sequence number (shared
 * with test code through {@link #tick()}, to prove ordering), the thread's name at that moment and
 * its initial Runnable. For threads named {@value #THROWING_PREFIX}* it throws after recording.
 */
final class RecordingListener implements ThreadStartListener {

    static final String THROWING_PREFIX = "listener-throws";

    enum Kind { STARTED, ENDED, RENAMED }

    record Event(Kind kind, Thread thread, String name, Runnable initialRunnable, long sequence, Thread caller) {
    }

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    /** The next number of the sequence that orders listener calls and test code. */
    long tick() {
        return sequence.incrementAndGet();
    }

    @Override
    public void threadStarted(Thread thread) {
        record(Kind.STARTED, thread);
    }

    @Override
    public void threadEnded(Thread thread) {
        record(Kind.ENDED, thread);
    }

    @Override
    public void threadRenamed(Thread thread) {
        record(Kind.RENAMED, thread);
    }

    private void record(Kind kind, Thread thread) {
        events.add(new Event(kind, thread, thread.getName(), ThreadIntrospection.initialRunnable(thread), tick(),
                Thread.currentThread()));
        if (thread.getName().startsWith(THROWING_PREFIX)) {
            throw new IllegalStateException("listener failure for " + thread.getName());
        }
    }

    List<Event> of(Thread thread) {
        return events.stream().filter(e -> e.thread() == thread).collect(Collectors.toList());
    }

    List<Event> of(Thread thread, Kind kind) {
        return events.stream().filter(e -> e.thread() == thread && e.kind() == kind).collect(Collectors.toList());
    }

    /** Waits up to 10 s for an event of {@code kind} on {@code thread} (for threads a pool or Timer ends). */
    List<Event> await(Thread thread, Kind kind) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (of(thread, kind).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return of(thread, kind);
    }
}
