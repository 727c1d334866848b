package io.numaagent.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starting the sample engine the way every test does, and the facts about this host the tests compare with. */
final class SampleEngineProcess {

    /** From start to READY on a busy 2-CPU machine: JVM start, agent premain, 16 MiB per worker. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    /** Small buffers keep the tests quick; placement does not depend on size. */
    static final String BUFFER_MIB = "16";

    private SampleEngineProcess() {
    }

    static Path sampleJar() {
        return ChildJvm.builtFile("numa.sample.jar");
    }

    static Path agentJar() {
        return ChildJvm.builtFile("numa.agent.jar");
    }

    /** The engine jar with small buffers; add --hold and more through {@link ChildJvm.Builder#args}. */
    static ChildJvm.Builder engine(Path outputDir) {
        return ChildJvm.builder(outputDir).jar(sampleJar()).args("--buffer-mib", BUFFER_MIB);
    }

    /** Starts a held engine and waits until every thread has reported; the caller closes it. */
    static ChildJvm startHeld(ChildJvm.Builder builder) {
        ChildJvm engine = builder.args("--hold").start();
        try {
            engine.awaitLine("READY pid=", READY_TIMEOUT);
            return engine;
        } catch (RuntimeException | AssertionError e) {
            engine.close();
            throw e;
        }
    }

    /** A configuration fixture pointed at the test's synthetic machine and a lock directory of its own. */
    static Path config(Path dir, String fixture, SyntheticMachine machine) {
        return AgentConfig.fromResource(fixture).on(machine, dir.resolve("locks")).writeTo(dir.resolve(fixture));
    }

    /** The sample engine under the agent with {@code config}. */
    static ChildJvm.Builder underAgent(Path dir, Path config) {
        return engine(dir).javaagent(agentJar(), config.toString());
    }

    /** Each worker's CPUs as the kernel has them, in the order the engine printed the workers. */
    static List<List<Integer>> workerCpus(ChildJvm engine) {
        ProcThreads kernel = ProcThreads.of(engine.pid());
        return EngineOutput.of(engine).workers().stream().map(w -> kernel.byTid(w.tid()).cpus()).toList();
    }

    /** The CPUs this test JVM may run on: what a child inherits, and what unplaced threads must keep. */
    static List<Integer> hostCpus() {
        return CpuList.parse(ProcThreads.processCpus(ProcessHandle.current().pid()));
    }
}
