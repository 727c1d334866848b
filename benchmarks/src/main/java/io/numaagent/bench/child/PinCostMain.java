package io.numaagent.bench.child;

import java.util.StringJoiner;

/**
 * The pin benchmark's program, run with the agent pinning threads named {@code pinned-N} (node 0, no memory
 * policy): {@code PinCostMain SAMPLES WARMUP}. Three kinds of thread are started and joined in turn, so
 * drift hits all alike:
 * <ul>
 * <li>{@code plain-N}: matches no rule; the agent's hook only looks at it;</li>
 * <li>{@code pinned-N}: the agent pins it in its hook, before the body runs;</li>
 * <li>{@code raw-N}: matches no rule; its body first pins itself to the same CPUs through raw JNA.</li>
 * </ul>
 * The order of the three rotates from one sample to the next. For each, the time from just before {@code start()} to the first instruction of the body after any pin
 * ("start latency") is recorded. Output: one {@code SAMPLES kind=K ns=a,b,...} line per kind, and
 * {@code SAMPLES kind=syscall} with the raw call's own duration inside the raw threads.
 */
public final class PinCostMain {

    private PinCostMain() {
    }

    /** Written by the started thread, read by main after join (join is a happens-before edge). */
    private static final class Sample {
        long bodyAt;
        long syscallNanos;
        int errno;
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        long[] mask = RawAffinity.nodeZeroMask();
        RawAffinity.pinCurrentThread(mask.clone()); // loads JNA and binds libc before any timing; same mask: no change

        long[] plain = new long[samples];
        long[] pinned = new long[samples];
        long[] raw = new long[samples];
        long[] syscall = new long[samples];
        int errors = 0;
        for (int i = -warmup; i < samples; i++) {
            int serial = i + warmup;
            long p = 0;
            long q = 0;
            long s = 0;
            Sample r = new Sample();
            // Rotate the order: a thread started right after a pinned one (whose exit also runs agent code)
            // does not start like one started after a plain one, and each kind must take each place equally.
            for (int k = 0; k < 3; k++) {
                switch ((serial + k) % 3) {
                    case 0 -> p = latency(new Sample(), "plain-" + serial, false, mask);
                    case 1 -> q = latency(new Sample(), "pinned-" + serial, false, mask);
                    default -> s = latency(r, "raw-" + serial, true, mask);
                }
            }
            if (r.errno != 0) {
                errors++;
            }
            if (i >= 0) {
                plain[i] = p;
                pinned[i] = q;
                raw[i] = s;
                syscall[i] = r.syscallNanos;
            }
        }
        print("plain", plain);
        print("pinned", pinned);
        print("raw", raw);
        print("syscall", syscall);
        System.out.println("RAW errors=" + errors);
        Thread probe = new Thread(() -> System.out.println(ThreadProbe.describe()), "pinned-" + (samples + warmup));
        probe.start();
        probe.join();
    }

    private static long latency(Sample sample, String name, boolean pinItself, long[] mask) throws InterruptedException {
        Runnable body = pinItself
                ? () -> {
                    long before = System.nanoTime();
                    sample.errno = RawAffinity.pinCurrentThread(mask);
                    long after = System.nanoTime();
                    sample.syscallNanos = after - before;
                    sample.bodyAt = after;
                }
                : () -> sample.bodyAt = System.nanoTime();
        Thread t = new Thread(body, name);
        long start = System.nanoTime();
        t.start();
        t.join();
        return sample.bodyAt - start;
    }

    private static void print(String kind, long[] values) {
        StringJoiner line = new StringJoiner(",", "SAMPLES kind=" + kind + " ns=", "");
        for (long v : values) {
            line.add(Long.toString(v));
        }
        System.out.println(line);
    }
}
