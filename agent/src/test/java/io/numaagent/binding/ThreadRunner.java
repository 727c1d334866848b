package io.numaagent.binding;

import java.util.concurrent.atomic.AtomicReference;

/** Runs a check in a new thread, so pinning and memory policy never stick to the test runner's thread. */
final class ThreadRunner {

    interface Check {
        void run() throws Exception;
    }

    private ThreadRunner() {
    }

    static void inNewThread(Check check) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                check.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "binding-test");
        t.start();
        t.join();
        Throwable f = failure.get();
        if (f instanceof Exception e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
    }
}
