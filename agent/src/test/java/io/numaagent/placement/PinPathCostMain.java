package io.numaagent.placement;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.numaagent.binding.Binding;
import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.LoadedConfig;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.helpers.NOPLogger;

/**
 * Not a test: where one pin's time goes, each part timed inside fresh threads as the pin benchmark
 * starts them (10 000 after 2 000 warm-up, medians). {@code java -cp ... io.numaagent.placement.PinPathCostMain}
 */
public final class PinPathCostMain {

    static final class Libc {
        static native int sched_setaffinity(int pid, long cpusetsize, long[] mask);

        static native int sched_getaffinity(int pid, long cpusetsize, long[] mask);

        static native int gettid();

        static {
            Native.register(Libc.class, NativeLibrary.getProcess());
        }
    }

    interface Part {
        void run(Thread self) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("pin-cost");
        Path config = dir.resolve("pin.properties");
        Files.writeString(config, "log.level = warn\nrule.p.thread-name = pinned-\\d+\nrule.p.device = node:0\nrule.p.cpus = node\nrule.p.memory = "
                + (args.length > 1 ? args[1] : "none") + "\n");
        LoadedConfig loaded = ConfigLoader.load(config.toString(), Map.of());
        AgentConfig agentConfig = loaded.config();
        if (!loaded.problems().isEmpty() || agentConfig.rules().isEmpty()) {
            throw new IllegalStateException("configuration: " + loaded.problems());
        }
        Topology topology = TopologyReader.readLive();
        Binding binding = Binding.create(dir.resolve("locks"));
        CpuSet start = binding.cpus().currentThread();
        ThreadPlacer placer = new ThreadPlacer(agentConfig, new Planner(topology), binding, start, NOPLogger.NOP_LOGGER, () -> start);
        long[] mask = new long[16];
        start.copyWords(mask);
        long[] one = new long[1];
        start.copyWords(one);
        Libc.gettid();

        time("raw sched_setaffinity, 16 words", n, self -> Libc.sched_setaffinity(0, 128, mask));
        time("raw sched_setaffinity, 1 word", n, self -> Libc.sched_setaffinity(0, 8, one));
        time("raw set + get, 1 word", n, self -> {
            Libc.sched_setaffinity(0, 8, one);
            Libc.sched_getaffinity(0, 8, new long[1]);
        });
        time("raw gettid", n, self -> Libc.gettid());
        time("raw gettid + set + get, 1 word", n, self -> {
            Libc.gettid();
            Libc.sched_setaffinity(0, 8, one);
            Libc.sched_getaffinity(0, 8, new long[1]);
        });
        time("binding: currentTid + bindCurrentThread", n, self -> {
            binding.cpus().currentTid();
            binding.cpus().bindCurrentThread(start);
        });
        time("placer: threadStarted (pin)", n, self -> {
            placer.threadStarted(self);
            if (placer.pinned().isEmpty()) {
                throw new IllegalStateException("not pinned: " + self.getName());
            }
            placer.threadEnded(self);
        });
        time("placer: threadStarted + threadEnded", n, self -> {
            placer.threadStarted(self);
            placer.threadEnded(self);
        });
    }

    private static void time(String what, int n, Part part) throws Exception {
        long[] nanos = new long[n];
        for (int i = -n / 5; i < n; i++) {
            long[] took = new long[1];
            Thread t = new Thread(() -> {
                Thread self = Thread.currentThread();
                try {
                    long t0 = System.nanoTime();
                    part.run(self);
                    took[0] = System.nanoTime() - t0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "pinned-" + (i + n));
            t.start();
            t.join();
            if (i >= 0) {
                nanos[i] = took[0];
            }
        }
        Arrays.sort(nanos);
        System.out.printf("%-45s median %6.2f us, p10 %6.2f, p90 %6.2f%n", what, nanos[n / 2] / 1e3, nanos[n / 10] / 1e3, nanos[n * 9 / 10] / 1e3);
    }
}
