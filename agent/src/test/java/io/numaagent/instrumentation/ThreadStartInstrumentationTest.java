package io.numaagent.instrumentation;

import static io.numaagent.instrumentation.RecordingListener.Kind.ENDED;
import static io.numaagent.instrumentation.RecordingListener.Kind.RENAMED;
import static io.numaagent.instrumentation.RecordingListener.Kind.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.numaagent.bootstrap.ThreadStartHook;
import io.numaagent.instrumentation.RecordingListener.Event;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ThreadStartInstrumentationTest {

    private static final RecordingListener LISTENER = InstrumentedJvm.LISTENER;
    private static InstallReport report;

    @BeforeAll
    static void install() {
        report = InstrumentedJvm.install();
    }

    // ---- installation -------------------------------------------------------------------------

    @Test
    void hookClassIsLoadedByTheBootLoader() {
        assertNull(ThreadStartHook.class.getClassLoader(), "the surefire argLine must put boot-classes on -Xbootclasspath/a");
        assertSame(LISTENER, ThreadStartHook.installed());
    }

    @Test
    void installInstrumentsThreadAndLoadedSubclassesWithoutFailures() {
        assertEquals(List.of(), report.failures());
        assertEquals(Thread.class.getName(), report.instrumented().get(0));
        assertTrue(report.instrumented().contains(InstrumentedJvm.EarlyThread.class.getName()), report.instrumented().toString());
        assertTrue(report.nanos() > 0);
        assertTrue(report.instrumented().stream().noneMatch(name -> name.contains("VirtualThread")), report.instrumented().toString());
        assertEquals(List.of(), InstrumentedJvm.unexpectedFailuresSinceInstall());
    }

    @Test
    void secondInstallOnlyReplacesTheListener() {
        InstallReport again = ThreadStartInstrumentation.install(null, LISTENER);
        assertEquals(List.of(), again.instrumented());
        assertEquals(1, again.failures().size(), again.failures().toString());
        assertSame(LISTENER, ThreadStartHook.installed());
    }

    @Test
    void subclassLoadedBeforeInstallFiresOnce() throws Exception {
        Thread thread = new InstrumentedJvm.EarlyThread(() -> { });
        runToEnd(thread);
        assertEquals(1, LISTENER.of(thread, STARTED).size());
        assertEquals(1, LISTENER.of(thread, ENDED).size());
    }

    // ---- how the thread was built -------------------------------------------------------------

    @Test
    void threadBuiltWithRunnableFiresOnceWithThatRunnable() throws Exception {
        Runnable body = new NamedRunnable();
        Thread thread = new Thread(body, "built-with-runnable");
        runToEnd(thread);
        List<Event> started = LISTENER.of(thread, STARTED);
        assertEquals(1, started.size());
        assertEquals("built-with-runnable", started.get(0).name());
        assertSame(body, started.get(0).initialRunnable());
    }

    @Test
    void threadBuiltWithLambdaFiresOnceWithThatLambda() throws Exception {
        Runnable body = () -> { };
        Thread thread = new Thread(body);
        runToEnd(thread);
        List<Event> started = LISTENER.of(thread, STARTED);
        assertEquals(1, started.size());
        assertSame(body, started.get(0).initialRunnable());
    }

    @Test
    void subclassCallingSuperRunFiresOnce() throws Exception {
        Thread thread = new SuperCallingThread(() -> { });
        runToEnd(thread);
        assertTrue(((SuperCallingThread) thread).ranOwnRun);
        assertEquals(1, LISTENER.of(thread, STARTED).size());
        assertEquals(1, LISTENER.of(thread, ENDED).size());
    }

    @Test
    void subclassNotCallingSuperRunFiresOnce() throws Exception {
        OverridingThread thread = new OverridingThread();
        runToEnd(thread);
        assertTrue(thread.ran);
        List<Event> started = LISTENER.of(thread, STARTED);
        assertEquals(1, started.size());
        assertNull(started.get(0).initialRunnable());
        assertEquals(1, LISTENER.of(thread, ENDED).size());
    }

    @Test
    void subclassOfSubclassFiresOnce() throws Exception {
        Thread inheriting = new InheritingGrandchild(() -> { });
        Thread overriding = new OverridingGrandchild(() -> { });
        runToEnd(inheriting);
        runToEnd(overriding);
        assertEquals(1, LISTENER.of(inheriting, STARTED).size());
        assertEquals(1, LISTENER.of(overriding, STARTED).size());
        assertEquals(1, LISTENER.of(overriding, ENDED).size());
    }

    @Test
    void anonymousSubclassFiresOnce() throws Exception {
        Thread thread = new Thread() {
            @Override
            public void run() {
            }
        };
        runToEnd(thread);
        assertEquals(1, LISTENER.of(thread, STARTED).size());
    }

    // ---- pools and timers ---------------------------------------------------------------------

    @Test
    void fixedThreadPoolWithDefaultFactoryFires() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Thread worker = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        List<Event> started = LISTENER.of(worker, STARTED);
        assertEquals(1, started.size());
        assertTrue(started.get(0).name().startsWith("pool-"), started.get(0).name());
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, LISTENER.await(worker, ENDED).size());
    }

    @Test
    void fixedThreadPoolWithCustomFactoryFires() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "custom-factory-worker"));
        Thread worker = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        pool.shutdown();
        List<Event> started = LISTENER.of(worker, STARTED);
        assertEquals(1, started.size());
        assertEquals("custom-factory-worker", started.get(0).name());
    }

    @Test
    void commonForkJoinPoolWorkerFires() throws Exception {
        Thread worker = CompletableFuture.supplyAsync(Thread::currentThread, ForkJoinPool.commonPool()).get(10, TimeUnit.SECONDS);
        assumeTrue(worker != Thread.currentThread(), "common pool parallelism 0 runs tasks in the caller");
        assumeFalse(InstrumentedJvm.runningBeforeInstall().contains(worker), "this common pool worker was started before install");
        assertEquals(1, LISTENER.of(worker, STARTED).size());
    }

    @Test
    void customForkJoinPoolWorkerFires() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        Thread worker = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        List<Event> started = LISTENER.of(worker, STARTED);
        assertEquals(1, started.size());
        assertTrue(started.get(0).name().startsWith("ForkJoinPool-"), started.get(0).name());
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, LISTENER.await(worker, ENDED).size());
    }

    @Test
    void timerThreadFires() throws Exception {
        Timer timer = new Timer("test-timer");
        AtomicReference<Thread> timerThread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                timerThread.set(Thread.currentThread());
                ran.countDown();
            }
        }, 0);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        timer.cancel();
        List<Event> started = LISTENER.of(timerThread.get(), STARTED);
        assertEquals(1, started.size());
        assertEquals("test-timer", started.get(0).name());
        assertEquals(1, LISTENER.await(timerThread.get(), ENDED).size());
    }

    // ---- names --------------------------------------------------------------------------------

    @Test
    void nameSetAfterConstructionBeforeStartIsSeenAtStart() throws Exception {
        Thread thread = new Thread(() -> { });
        thread.setName("named-before-start");
        runToEnd(thread);
        List<Event> started = LISTENER.of(thread, STARTED);
        assertEquals(1, started.size());
        assertEquals("named-before-start", started.get(0).name());
        assertEquals(List.of(), LISTENER.of(thread, RENAMED), "a thread not yet started is not renamed");
    }

    @Test
    void renameAfterStartFiresRenamed() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch renamed = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            running.countDown();
            await(renamed);
        }, "before-rename");
        thread.start();
        // alive from start() on, but only in run() from here: a rename in between is seen by both
        assertTrue(running.await(10, TimeUnit.SECONDS));
        thread.setName("after-rename");
        renamed.countDown();
        thread.join();
        List<Event> events = LISTENER.of(thread, RENAMED);
        assertEquals(1, events.size());
        assertEquals("after-rename", events.get(0).name());
        assertSame(Thread.currentThread(), events.get(0).caller());
    }

    @Test
    void renameInsideRunFiresRenamedOnTheThreadItself() throws Exception {
        Thread thread = new Thread(() -> Thread.currentThread().setName("renamed-inside"), "named-outside");
        runToEnd(thread);
        List<Event> events = LISTENER.of(thread, RENAMED);
        assertEquals(1, events.size());
        assertEquals("renamed-inside", events.get(0).name());
        assertSame(thread, events.get(0).caller());
        assertEquals("named-outside", LISTENER.of(thread, STARTED).get(0).name());
    }

    // ---- what does not fire -------------------------------------------------------------------

    @Test
    void directRunCallFromAnotherThreadDoesNotFire() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread notStarted = new Thread(() -> ranOn.set(Thread.currentThread()));
        notStarted.run();
        OverridingThread subclass = new OverridingThread();
        subclass.run();
        assertSame(Thread.currentThread(), ranOn.get());
        assertTrue(subclass.ran);
        assertEquals(List.of(), LISTENER.of(notStarted));
        assertEquals(List.of(), LISTENER.of(subclass));
        assertEquals(List.of(), LISTENER.of(Thread.currentThread(), STARTED));
    }

    @Test
    void virtualThreadDoesNotFire() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
                .invoke(null, (Runnable) () -> ranOn.set(Thread.currentThread()));
        virtual.join();
        assertSame(virtual, ranOn.get());
        assertTrue(ThreadIntrospection.isVirtual(virtual));
        assertEquals(List.of(), LISTENER.of(virtual));
    }

    // ---- exit, failures, order ----------------------------------------------------------------

    @Test
    void exitFiresOnNormalEnd() throws Exception {
        Thread thread = new Thread(() -> { });
        runToEnd(thread);
        List<Event> events = LISTENER.of(thread);
        assertEquals(List.of(STARTED, ENDED), events.stream().map(Event::kind).toList());
    }

    @Test
    void exitFiresWhenRunThrows() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            throw new IllegalStateException("engine failure");
        });
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        runToEnd(thread);
        assertEquals("engine failure", uncaught.get().getMessage(), "the engine's own exception still propagates");
        assertEquals(List.of(STARTED, ENDED), LISTENER.of(thread).stream().map(Event::kind).toList());
    }

    @Test
    void listenerThrowingNeverReachesTheThread() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        AtomicReference<Boolean> bodyRan = new AtomicReference<>(false);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch renamed = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            bodyRan.set(true);
            running.countDown();
            await(renamed);
        }, RecordingListener.THROWING_PREFIX + "-1");
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        thread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        thread.setName(RecordingListener.THROWING_PREFIX + "-2"); // renamed() throws on this thread
        renamed.countDown();
        thread.join();
        assertTrue(bodyRan.get());
        assertNull(uncaught.get());
        assertEquals(List.of(STARTED, RENAMED, ENDED), LISTENER.of(thread).stream().map(Event::kind).toList());
    }

    @Test
    void hookRunsBeforeFirstLineOfUserCodeAndEndsAfterTheLast() throws Exception {
        AtomicLong firstLine = new AtomicLong();
        AtomicLong lastLine = new AtomicLong();
        Thread withRunnable = new Thread(() -> {
            firstLine.set(LISTENER.tick());
            lastLine.set(LISTENER.tick());
        });
        runToEnd(withRunnable);
        assertOrder(withRunnable, firstLine.get(), lastLine.get());

        OrderRecordingThread subclass = new OrderRecordingThread();
        runToEnd(subclass);
        assertOrder(subclass, subclass.firstLine, subclass.lastLine);
    }

    private static void assertOrder(Thread thread, long firstLine, long lastLine) {
        long started = LISTENER.of(thread, STARTED).get(0).sequence();
        long ended = LISTENER.of(thread, ENDED).get(0).sequence();
        assertTrue(started < firstLine, "hook " + started + " must precede user code " + firstLine);
        assertTrue(lastLine < ended, "user code " + lastLine + " must precede exit " + ended);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void runToEnd(Thread thread) throws InterruptedException {
        thread.start();
        thread.join(10_000);
        assertTrue(!thread.isAlive(), thread + " did not end");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class NamedRunnable implements Runnable {
        @Override
        public void run() {
        }
    }

    static class SuperCallingThread extends Thread {
        volatile boolean ranOwnRun;

        SuperCallingThread(Runnable body) {
            super(body);
        }

        @Override
        public void run() {
            ranOwnRun = true;
            super.run();
        }
    }

    static final class InheritingGrandchild extends SuperCallingThread {
        InheritingGrandchild(Runnable body) {
            super(body);
        }
    }

    static final class OverridingGrandchild extends SuperCallingThread {
        OverridingGrandchild(Runnable body) {
            super(body);
        }

        @Override
        public void run() {
            super.run();
        }
    }

    static final class OverridingThread extends Thread {
        volatile boolean ran;

        @Override
        public void run() {
            ran = true;
        }
    }

    static final class OrderRecordingThread extends Thread {
        volatile long firstLine;
        volatile long lastLine;

        @Override
        public void run() {
            firstLine = LISTENER.tick();
            lastLine = LISTENER.tick();
        }
    }
}
