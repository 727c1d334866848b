package io.numaagent.bench.child;

/**
 * The start-up benchmark's program: starts one thread named {@code bench-one}, joins it, returns.
 * Every variant runs exactly this, so the only difference between them is the agent; with the
 * "pin one thread" configuration the agent pins {@code bench-one}.
 */
public final class TrivialMain {

    private TrivialMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread one = new Thread(() -> { }, "bench-one");
        one.start();
        one.join();
        if (args.length > 0 && args[0].equals("--probe")) {
            // untimed check runs only: where did the thread end up
            Thread probe = new Thread(() -> System.out.println(ThreadProbe.describe()), "bench-one");
            probe.start();
            probe.join();
        }
    }
}
