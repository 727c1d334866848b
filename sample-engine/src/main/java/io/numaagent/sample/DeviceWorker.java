package io.numaagent.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Locale;

/**
 * One per device, like an inference engine's per-GPU worker: owns a direct buffer (its "staging memory"),
 * places it by first touch, streams over it and reports where it ran and where its pages landed.
 * A Thread subclass on purpose, so thread-class rules can match it.
 */
public final class DeviceWorker extends Thread {

    private final int device;
    private final int bufferBytes;
    private final int passes;
    private final RunControl control;

    DeviceWorker(int device, int bufferMib, int passes, RunControl control) {
        super("gpu-worker-" + device);
        this.device = device;
        this.bufferBytes = Math.multiplyExact(bufferMib, 1 << 20);
        this.passes = passes;
        this.control = control;
    }

    @Override
    public void run() {
        String line;
        try {
            line = work();
        } catch (Throwable e) {
            line = "worker name=" + getName() + " error=" + e.toString().replace(' ', '_');
        }
        control.report(true, line);
        control.awaitRelease();
    }

    private String work() throws InterruptedException {
        // A thread this worker starts: it is not a worker, so a placement agent should not leave it on the
        // worker's device CPUs just because it inherited them.
        Thread helper = new Thread(() -> {
            control.report(false, control.threadLine());
            control.awaitRelease();
        }, "gpu-helper-" + device);
        helper.start();

        // allocateDirect already zeroes the memory in this thread; touching every page again makes the
        // first-touch placement explicit rather than a JDK detail.
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.nativeOrder());
        for (int offset = 0; offset < bufferBytes; offset += 4096) {
            buffer.put(offset, (byte) 1);
        }
        double gbps = stream(buffer.asLongBuffer());
        String cpus = ThreadSelf.cpusAllowedList();
        String policy = control.probe.memoryPolicy();
        PagePlacement pages = control.probe.pagePlacement(buffer);
        return "worker name=" + getName() + " tid=" + ThreadSelf.tid() + " cpus=" + cpus
                + " mempolicy=" + policy + " pages=" + pages.format() + " pagesource=" + pages.source()
                + " gbps=" + String.format(Locale.ROOT, "%.1f", gbps);
    }

    /** Read+write passes over the whole buffer; returns the bytes moved per nanosecond (= GB/s). */
    private double stream(LongBuffer longs) {
        int n = longs.capacity();
        long sum = 0;
        long start = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < n; i++) {
                sum += longs.get(i);
            }
            for (int i = 0; i < n; i++) {
                longs.put(i, sum + i);
            }
        }
        long elapsed = Math.max(1, System.nanoTime() - start);
        if (sum == 42) {
            // keeps the reads from being optimised away
            System.err.print("");
        }
        return 2.0 * passes * n * Long.BYTES / elapsed;
    }
}
