package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.bootstrap.ThreadStartListener;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Threads that start while the agent is still preparing: named ones wait for the placer, others go on. */
class DeferredPlacerTest {

    static List<Rule> rules;

    @BeforeAll
    static void readRules() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(
                Path.of(DeferredPlacerTest.class.getResource("/placement/deferred.properties").toURI()).toString(), Map.of());
        assertTrue(loaded.problems().isEmpty(), loaded.problems()::toString);
        rules = loaded.config().rules();
    }

    /** What the placer was asked, as "event:thread name". */
    static final class RecordingListener implements ThreadStartListener {
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

        @Override
        public void threadStarted(Thread thread) {
            calls.add("started:" + thread.getName());
        }

        @Override
        public void threadEnded(Thread thread) {
            calls.add("ended:" + thread.getName());
        }

        @Override
        public void threadRenamed(Thread thread) {
            calls.add("renamed:" + thread.getName());
        }
    }

    /** Runs deferred.threadStarted inside a new thread named {@code name}; completes when it returns. */
    private static CompletableFuture<Void> start(DeferredPlacer deferred, String name, boolean asStartupThread) {
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            deferred.threadStarted(Thread.currentThread());
            returned.complete(null);
        }, name);
        if (asStartupThread) {
            deferred.startupOn(t);
        }
        t.start();
        return returned;
    }

    @Test
    void namedThreadStartedBeforeReadyWaitsAndIsPlaced() throws Exception {
        DeferredPlacer deferred = new DeferredPlacer(rules, 10_000);
        CompletableFuture<Void> worker = start(deferred, "worker-0", false);
        Thread.sleep(300);
        assertFalse(worker.isDone(), "a thread a rule names must wait for the placer, not run unplaced");
        RecordingListener placer = new RecordingListener();
        assertEquals(List.of(), deferred.ready(placer));
        worker.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("started:worker-0"), List.copyOf(placer.calls));
    }

    @Test
    void threadNoRuleNamesGoesOnAtOnce() throws Exception {
        DeferredPlacer deferred = new DeferredPlacer(rules, 10_000);
        start(deferred, "other-0", false).get(2, TimeUnit.SECONDS);
        RecordingListener placer = new RecordingListener();
        assertEquals(List.of(), deferred.ready(placer), "an unnamed thread is not a missed one");
        assertTrue(placer.calls.isEmpty(), "nothing to hand on: " + placer.calls);
    }

    @Test
    void startupThreadNeverWaitsAndIsReportedAsMissed() throws Exception {
        DeferredPlacer deferred = new DeferredPlacer(rules, 10_000);
        start(deferred, "worker-1", true).get(2, TimeUnit.SECONDS);
        assertEquals(List.of("worker-1"), deferred.ready(new RecordingListener()));
    }

    @Test
    void namedThreadWaitsNoLongerThanItsBound() throws Exception {
        DeferredPlacer deferred = new DeferredPlacer(rules, 200);
        long begin = System.nanoTime();
        start(deferred, "worker-2", false).get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - begin >= TimeUnit.MILLISECONDS.toNanos(200), "it waited its bound");
        assertEquals(List.of("worker-2"), deferred.ready(new RecordingListener()), "then went on unplaced, and is reported");
    }

    @Test
    void everyCallIsHandedOnOnceReady() throws Exception {
        DeferredPlacer deferred = new DeferredPlacer(rules, 10_000);
        RecordingListener placer = new RecordingListener();
        deferred.ready(placer);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Thread self = Thread.currentThread();
            deferred.threadStarted(self);
            self.setName("other-1");
            deferred.threadRenamed(self);
            deferred.threadEnded(self);
            done.complete(null);
        }, "worker-3");
        t.start();
        done.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("started:worker-3", "renamed:other-1", "ended:other-1"), List.copyOf(placer.calls));
    }

    @Test
    void endBeforeReadyIsNotHandedOn() {
        DeferredPlacer deferred = new DeferredPlacer(rules, 10_000);
        deferred.threadEnded(Thread.currentThread());
        RecordingListener placer = new RecordingListener();
        deferred.ready(placer);
        assertTrue(placer.calls.isEmpty());
    }
}
