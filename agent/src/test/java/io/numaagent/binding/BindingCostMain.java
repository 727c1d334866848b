package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: measures first-use and per-call costs in a fresh JVM; the numbers are quoted in
 * {@link Binding}'s class comment. {@code java -cp ... io.numaagent.binding.BindingCostMain /dev/shm/numa-agent-cost}
 */
public final class BindingCostMain {

    interface Call {
        void run() throws Exception;
    }

    static double micros(int n, Call c) throws Exception {
        for (int i = 0; i < n; i++) {
            c.run(); // warm-up
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            c.run();
        }
        return (System.nanoTime() - t0) / 1000.0 / n;
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Class.forName("com.sun.jna.Native");
        long t1 = System.nanoTime();
        com.sun.jna.NativeLibrary.getProcess(); // NativeLibrary's static init runs /sbin/ldconfig -p
        long t2 = System.nanoTime();
        Binding b = Binding.create(Path.of(args[0]));
        long t3 = System.nanoTime();
        CpuSet first = CpuSet.of(b.cpus().currentThread().first());
        long t4 = System.nanoTime();
        b.cpus().bindCurrentThread(first);
        long t5 = System.nanoTime();
        System.out.printf("jna Native init %.1f ms, NativeLibrary init (ldconfig) %.1f ms, rest of Binding.create %.1f ms, first read %.2f ms, first bind %.2f ms; warnings %s%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6, b.warnings());
        CpuSet all = HostFacts.allowedCpus();
        CpuSet other = CpuSet.of(all.last());
        int n = 2000;
        System.out.printf("bind same CPU + read-back %.1f us%n", micros(n, () -> b.cpus().bindCurrentThread(first)));
        int[] flip = {0};
        System.out.printf("bind alternating CPUs (migration) + read-back %.1f us%n",
                micros(n, () -> b.cpus().bindCurrentThread((flip[0]++ & 1) == 0 ? first : other)));
        System.out.printf("read-back only %.2f us%n", micros(n, () -> b.cpus().currentThread()));
        System.out.printf("currentTid %.3f us%n", micros(n, () -> b.cpus().currentTid()));
        CpuSet node = CpuSet.of(HostFacts.allowedNodes().first());
        System.out.printf("memory preferred + read-back %.2f us%n", micros(n, () -> b.memory().applyToCurrentThread(MemoryMode.PREFERRED, node)));
        System.out.printf("memory read-back only %.2f us%n", micros(n, () -> b.memory().currentThread()));
        System.out.printf("exclusive acquire + release (one CPU, lock dir %s) %.1f us%n", args[0],
                micros(n, () -> b.exclusive().acquire(List.of(first), "cost").orElseThrow().release()));
        b.memory().applyToCurrentThread(MemoryMode.DEFAULT, CpuSet.EMPTY);
    }
}
