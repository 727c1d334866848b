package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.AgentLog;
import io.numaagent.binding.Binding;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.LogLevel;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native libraries load in the background; workers that start earlier wait for them, the loader never does. */
class ThreadPlacerBindingWaitTest {

    static LoadedConfig config;
    static Topology topology;

    @BeforeAll
    static void readConfigAndMachine() throws Exception {
        config = ConfigLoader.load(Path.of(ThreadPlacerBindingWaitTest.class.getResource("/placement/waiter.properties").toURI()).toString(), Map.of());
        assertTrue(config.problems().isEmpty(), config.problems()::toString);
        topology = TopologyReader.read(Path.of("/"), Map.of());
    }

    private static ThreadPlacer placer(BindingHandle handle) {
        return new ThreadPlacer(config.config(), new Planner(topology), handle, topology.cpus(), AgentLog.init(LogLevel.WARN));
    }

    /** Runs placer.threadStarted inside a new thread named {@code name}, then reports that thread's mask. */
    private static CompletableFuture<CpuSet> startThread(ThreadPlacer placer, Binding reader, String name, BindingHandle loaderOf) {
        CompletableFuture<CpuSet> mask = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                placer.threadStarted(Thread.currentThread());
                CpuSet seen = reader.cpus().currentThread();
                placer.threadEnded(Thread.currentThread());
                mask.complete(seen);
            } catch (Throwable e) {
                mask.completeExceptionally(e);
            }
        }, name);
        if (loaderOf != null) {
            loaderOf.loadingOn(t);
        }
        t.start();
        return mask;
    }

    @Test
    void workerStartedBeforeTheLibrariesLoadWaitsAndIsPinned(@TempDir Path locks) throws Exception {
        Binding binding = Binding.create(locks);
        BindingHandle handle = new BindingHandle();
        CompletableFuture<CpuSet> mask = startThread(placer(handle), binding, "waiter-0", null);
        Thread.sleep(300);
        assertTrue(!mask.isDone(), "the worker must wait for the binding, not run unpinned");
        handle.complete(binding);
        CpuSet cpus = mask.get(10, TimeUnit.SECONDS);
        assertEquals(1, cpus.size(), "cpus = cpu gives the worker one CPU of node 0, got " + cpus);
        assertEquals(0, binding.exclusive().leased(), "the lease is released when the thread ends");
    }

    @Test
    void loaderThreadNeverWaitsForItself(@TempDir Path locks) throws Exception {
        Binding reader = Binding.create(locks);
        BindingHandle never = new BindingHandle();
        long start = System.nanoTime();
        CpuSet cpus = startThread(placer(never), reader, "waiter-1", never).get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(ThreadPlacer.BINDING_WAIT_MILLIS / 1000 / 2),
                "the loader thread must not wait for its own binding");
        assertEquals(topology.cpus(), cpus, "left unpinned on the process's CPUs");
    }

    @Test
    void nativeLoaderStartsOnlyWhenAThreadARuleMatchesNeedsIt(@TempDir Path locks) throws Exception {
        Binding binding = Binding.create(locks);
        BindingHandle handle = new BindingHandle();
        Thread loader = new Thread(() -> handle.complete(binding), "numa-agent-native-init");
        handle.loadOnFirstUse(loader);
        ThreadPlacer placer = placer(handle);
        startThread(placer, binding, "not-a-waiter", null).get(5, TimeUnit.SECONDS);
        assertEquals(Thread.State.NEW, loader.getState(), "a thread no rule matches must not start the native loader");
        CpuSet cpus = startThread(placer, binding, "waiter-2", null).get(10, TimeUnit.SECONDS);
        assertTrue(loader.getState() != Thread.State.NEW, "the first matched thread starts the loader");
        assertEquals(1, cpus.size(), "and is pinned once the binding is ready, got " + cpus);
    }
}
