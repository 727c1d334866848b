package io.numaagent.bench.child;

/**
 * The thread benchmark's program: {@code ThreadStartMain THREADS WARMUP_ROUNDS ROUNDS}. Each round starts
 * and joins THREADS short threads named {@code bench-worker-N}, one after the other (one at a time, so
 * exclusive-CPU rules never run out of CPUs on a small machine), and prints
 * {@code RESULT round=R threads=T nanos=NS median=NS}: the round's total and the median of one thread's
 * start + join (robust to the bursts of other load a shared machine adds to some threads). Then a probe thread with a worker's name prints where the
 * kernel put it, so the harness can check that the agent really pinned the workers.
 */
public final class ThreadStartMain {

    private ThreadStartMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Runnable body = () -> { };
        long serial = 0;
        long[] each = new long[threads];
        for (int round = -warmup; round < rounds; round++) {
            long start = System.nanoTime();
            long before = start;
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(body, "bench-worker-" + serial++);
                t.start();
                t.join();
                long after = System.nanoTime();
                each[i] = after - before;
                before = after;
            }
            long nanos = System.nanoTime() - start;
            if (round >= 0) {
                java.util.Arrays.sort(each);
                System.out.println("RESULT round=" + round + " threads=" + threads + " nanos=" + nanos + " median=" + each[threads / 2]);
            }
        }
        Thread probe = new Thread(() -> System.out.println(ThreadProbe.describe()), "bench-worker-" + serial);
        probe.start();
        probe.join();
    }
}
