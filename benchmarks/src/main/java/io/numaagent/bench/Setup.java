package io.numaagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the benchmarks share: the jars, the JDK the children run on, the scratch directory, the
 * agent configurations and how a child command line is built.
 */
final class Setup {

    /** Where the agent keeps its exclusive-CPU lock files during the benchmarks: tmpfs, and our own. */
    static final String LOCK_DIR = "/dev/shm/numa-agent-bench";

    final Options options;
    final Path java;
    final int javaFeature;
    final String jdkDescription;
    final Path workDir;
    final ChildJvm children;

    Setup(Options options, Path workDir) {
        this.options = options;
        this.java = options.java();
        this.workDir = workDir;
        this.children = new ChildJvm(workDir);
        ChildJvm.Result describe = children.run(List.of(java.toString(), "-cp", options.benchJar().toString(),
                "io.numaagent.bench.child.DescribeMain"), Duration.ofSeconds(60));
        if (!describe.ok()) {
            throw new IllegalStateException("the JDK at " + java + " cannot run the benchmark jar: " + describe.describe());
        }
        String jdk = "?";
        int feature = 17;
        for (String line : describe.stdout().split("\n")) {
            if (line.startsWith("JDK ")) {
                jdk = line.substring(4);
            } else if (line.startsWith("FEATURE ")) {
                feature = Integer.parseInt(line.substring(8).trim());
            }
        }
        this.jdkDescription = jdk;
        this.javaFeature = feature;
        try {
            Files.createDirectories(Path.of(LOCK_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's lock directory " + LOCK_DIR, e);
        }
    }

    Variant noAgent() {
        return new Variant("no agent", List.of());
    }

    Variant emptyAgent() {
        return new Variant("empty agent", List.of("-javaagent:" + options.emptyAgentJar()));
    }

    /** numa-agent with a configuration file written from {@code lines} (plus the benchmark's globals). */
    Variant numaAgent(String name, String fileName, String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("log.level = warn");
        all.add("lock.dir = " + LOCK_DIR);
        Path config = workDir.resolve(fileName);
        try {
            Files.write(config, all, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return new Variant(name, List.of("-javaagent:" + options.agentJar() + "=" + config));
    }

    /** The same variant with the agent's log at info: for untimed checks that it pinned what it should. */
    static Variant verbose(Variant variant) {
        List<String> jvm = new ArrayList<>(variant.jvmOptions());
        jvm.add("-Dnuma.agent.log.level=info");
        return new Variant(variant.name(), jvm);
    }

    /** java, the options every child gets, the variant's, then the class path and the program. */
    List<String> command(Variant variant, List<String> extraJvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(commonJvmOptions());
        command.addAll(variant.jvmOptions());
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(options.benchJar().toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Given to every variant alike. JDK 22+: JNA (the agent's, and the harness's raw baseline) loads a JNI
     * library; without this JDK 24+ prints a restricted-method warning, and the option is what a user of
     * the agent is told to add anyway.
     */
    List<String> commonJvmOptions() {
        return javaFeature >= 22 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
    }

    ChildJvm.Result run(List<String> command, Duration timeout) {
        return children.run(command, timeout);
    }
}
