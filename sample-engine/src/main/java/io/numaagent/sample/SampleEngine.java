package io.numaagent.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small inference-engine-like program that knows nothing of numa-agent: per-device workers with direct
 * buffers, an I/O pool, a dedicated storage thread, fork/join work and helper threads started by workers.
 * It prints one parseable line per thread saying where the kernel let it run and where its memory landed.
 */
public final class SampleEngine {

    /** Generous: on a busy 2-CPU machine a 64 MiB buffer per worker still streams in well under a second. */
    private static final long REPORT_TIMEOUT_SECONDS = 120;

    private SampleEngine() {
    }

    public static void main(String[] args) throws Exception {
        EngineOptions options;
        try {
            options = EngineOptions.parse(args);
        } catch (EngineOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.println(EngineOptions.USAGE);
                return;
            }
            System.err.println("sample-engine: " + e.getMessage());
            System.err.println(EngineOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(EngineOptions options) throws InterruptedException, IOException {
        NumaProbe probe = NumaProbe.select(options.pageSource());
        long pid = ProcessHandle.current().pid();
        System.out.println("engine pid=" + pid + " java=" + Runtime.version() + " pagesource=" + probe.describe()
                + " devices=" + options.devices() + " buffer-mib=" + options.bufferMib()
                + " passes=" + options.passes() + " io-threads=" + options.ioThreads());

        // workers + their helpers, io tasks, storage-0, the fork/join task, main
        int expected = 2 * options.devices() + options.ioThreads() + 1 + 1 + 1;
        RunControl control = new RunControl(expected, options.hold(), probe);

        List<Thread> owned = new ArrayList<>();
        for (int device = 0; device < options.devices(); device++) {
            owned.add(new DeviceWorker(device, options.bufferMib(), options.passes(), control));
        }
        // Built directly around a StorageTask so runnable-class rules have a thread to match.
        owned.add(new Thread(new StorageTask(control, true), "storage-0"));
        owned.forEach(Thread::start);

        ExecutorService io = Executors.newFixedThreadPool(options.ioThreads(), new IoThreadFactory());
        for (int i = 0; i < options.ioThreads(); i++) {
            // a fixed pool starts a new thread per submission until it is full: one task per io-<n>
            io.execute(new StorageTask(control, false));
        }

        ForkJoinPool.commonPool().execute(() -> {
            long checksum = new ChecksumTask(0, 1 << 22).invoke();
            control.report(false, control.threadLine() + " checksum=" + checksum);
            control.awaitRelease();
        });

        control.report(false, control.threadLine());

        int exitCode = 0;
        if (!control.awaitReports(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            System.err.println("sample-engine: " + control.missingReports() + " thread(s) did not report within "
                    + REPORT_TIMEOUT_SECONDS + " s");
            exitCode = 1;
        }
        for (RunControl.Report report : control.sortedReports()) {
            System.out.println(report.line());
            if (report.line().contains(" error=")) {
                exitCode = 1;
            }
        }
        if (options.hold()) {
            System.out.println("READY pid=" + pid);
            System.out.flush();
            // a line or end of input ends the hold
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        control.release();
        for (Thread thread : owned) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        io.shutdown();
        io.awaitTermination(30, TimeUnit.SECONDS);
        System.out.println("done exit=" + exitCode);
        return exitCode;
    }

    /** Names the I/O pool's threads io-0, io-1, ... as engines name their pools. */
    private static final class IoThreadFactory implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            return new Thread(task, "io-" + next.getAndIncrement());
        }
    }
}
