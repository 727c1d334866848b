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
        Path locks = Path.of(args[0]);
        long t0 = System.nanoTime();
        Binding jni = Binding.create(locks);
        long t1 = System.nanoTime();
        Binding jna = Binding.createWithJna(locks, JnaLibnuma.SONAME, NativeAccess.ofAgent());
        long t2 = System.nanoTime();
        System.out.printf("first use: Binding.create %.1f ms (%s); then through JNA %.1f ms; warnings %s %s%n",
                (t1 - t0) / 1e6, jni.nativeCalls(), (t2 - t1) / 1e6, jni.warnings(), jna.warnings());
        for (Binding b : List.of(jni, jna)) {
            perCall(b, b == jni ? "JNI" : "JNA", locks);
        }
    }

    private static void perCall(Binding b, String label, Path locks) throws Exception {
        CpuSet first = CpuSet.of(b.cpus().currentThread().first());
        CpuSet all = HostFacts.allowedCpus();
        CpuSet other = CpuSet.of(all.last());
        int n = 2000;
        System.out.printf("%s: bind same CPU + read-back %.1f us%n", label, micros(n, () -> b.cpus().bindCurrentThread(first)));
        int[] flip = {0};
        System.out.printf("%s: bind alternating CPUs (migration) + read-back %.1f us%n", label,
                micros(n, () -> b.cpus().bindCurrentThread((flip[0]++ & 1) == 0 ? first : other)));
        System.out.printf("%s: read-back only %.2f us%n", label, micros(n, () -> b.cpus().currentThread()));
        System.out.printf("%s: currentTid %.3f us%n", label, micros(n, () -> b.cpus().currentTid()));
        CpuSet node = CpuSet.of(HostFacts.allowedNodes().first());
        System.out.printf("%s: memory preferred + read-back %.2f us%n", label, micros(n, () -> b.memory().applyToCurrentThread(MemoryMode.PREFERRED, node)));
        System.out.printf("%s: memory read-back only %.2f us%n", label, micros(n, () -> b.memory().currentThread()));
        System.out.printf("%s: exclusive acquire + release (one CPU, lock dir %s) %.1f us%n", label, locks,
                micros(n, () -> b.exclusive().acquire(List.of(first), "cost").orElseThrow().release()));
        b.memory().applyToCurrentThread(MemoryMode.DEFAULT, CpuSet.EMPTY);
        b.cpus().bindCurrentThread(all);
    }
}
