package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link BindingFaultsTest}: creates a Binding (through JNA only when the
 * second argument is {@code jna}) and prints, one per line, {@code warning <text>},
 * {@code calls <native calls>}, {@code cpus <available>}, {@code memory <available>},
 * {@code bind <result>}, {@code createMillis <n>}.
 */
public final class BindingProbeMain {

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        boolean jnaOnly = args.length > 1 && args[1].equals("jna");
        Binding b = jnaOnly ? Binding.createWithJna(Path.of(args[0]), JnaLibnuma.SONAME, NativeAccess.ofAgent()) : Binding.create(Path.of(args[0]));
        long t1 = System.nanoTime();
        for (String w : b.warnings()) {
            System.out.println("warning " + w);
        }
        System.out.println("calls " + b.nativeCalls());
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
