package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link BindingFaultsTest}: creates a Binding and prints, one per line,
 * {@code warning <text>}, {@code cpus <available>}, {@code memory <available>}, {@code bind <result>},
 * {@code createMillis <n>}.
 */
public final class BindingProbeMain {

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Binding b = Binding.create(Path.of(args[0]));
        long t1 = System.nanoTime();
        for (String w : b.warnings()) {
            System.out.println("warning " + w);
        }
        System.out.println("cpus " + b.cpus().available());
        System.out.println("memory " + b.memory().available());
        try {
            CpuSet now = b.cpus().currentThread();
            System.out.println("bind " + b.cpus().bindCurrentThread(CpuSet.of(now.first())));
        } catch (BindingException e) {
            System.out.println("bind BindingException " + e.getMessage());
        }
        System.out.println("createMillis " + (t1 - t0) / 1_000_000);
    }
}
