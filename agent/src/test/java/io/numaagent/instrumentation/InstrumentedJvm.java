package io.numaagent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The test JVM with the thread-start instrumentation installed once (a JVM can be instrumented
 * only once; every test class shares it), through a self-attached agent.
 */
final class InstrumentedJvm {

    static final RecordingListener LISTENER = new RecordingListener();

    /** Classes of this name prefix fail to weave on purpose; other tests ignore their failures. */
    static final String UNWEAVABLE_PREFIX = "gen.Unweavable";

    private static InstallReport report;
    private static Set<Thread> runningBeforeInstall;
    private static Instrumentation instrumentation;

    private InstrumentedJvm() {
    }

    static synchronized InstallReport install() {
        if (report == null) {
            // Loaded (not started) before install: must be found by the retransformation.
            Class<?> early = EarlyThread.class;
            runningBeforeInstall = Thread.getAllStackTraces().keySet();
            Instrumentation inst = ByteBuddyAgent.install();
            instrumentation = inst;
            report = ThreadStartInstrumentation.install(inst, LISTENER);
        }
        return report;
    }

    static synchronized Instrumentation instrumentation() {
        install();
        return instrumentation;
    }

    /** {@link ThreadStartInstrumentation#failuresSinceInstall()} but the deliberate ones. */
    static List<String> unexpectedFailuresSinceInstall() {
        return ThreadStartInstrumentation.failuresSinceInstall().stream()
                .filter(failure -> !failure.startsWith(UNWEAVABLE_PREFIX)).toList();
    }

    static synchronized Set<Thread> runningBeforeInstall() {
        install();
        return runningBeforeInstall;
    }

    /** A Thread subclass loaded before install. */
    static final class EarlyThread extends Thread {
        final Runnable body;

        EarlyThread(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }
    }
}
