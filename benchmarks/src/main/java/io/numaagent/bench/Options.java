package io.numaagent.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The harness's command line. Jar paths default to the repository the benchmark jar was built in. */
record Options(boolean quick, Set<String> only, Path java, Path benchJar, Path emptyAgentJar, Path agentJar,
               Path sampleJar, Path exampleConfig, Path out) {

    static final List<String> BENCHMARKS = List.of("startup", "threads", "pin", "classload", "sample");

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks/target/benchmarks.jar [options]",
            "  --quick               smoke mode: few runs, small counts (under ~2 minutes); checks every variant runs",
            "  --only LIST           comma-separated subset of " + String.join(",", BENCHMARKS),
            "  --java PATH           the java launcher the child JVMs use (default: this JVM's)",
            "  --agent PATH          numa-agent.jar (default: agent/target/numa-agent.jar of this repository)",
            "  --sample-engine PATH  sample-engine.jar (default: sample-engine/target/sample-engine.jar)",
            "  --sample-config PATH  the agent configuration for the sample engine (default: examples/sample-engine.properties)",
            "  --out FILE            also write the report (Markdown) to FILE",
            "  --help                this text");

    static Options parse(String[] args) {
        Path benchJar = selfJar();
        Path repo = benchJar.getParent() != null && benchJar.getParent().getParent() != null
                ? benchJar.getParent().getParent().getParent() : Path.of(".");
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(BENCHMARKS);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path agent = repo.resolve("agent/target/numa-agent.jar");
        Path sample = repo.resolve("sample-engine/target/sample-engine.jar");
        Path sampleConfig = repo.resolve("examples/sample-engine.properties");
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    only = new LinkedHashSet<>();
                    for (String name : value(args, ++i).split(",")) {
                        if (!BENCHMARKS.contains(name.strip())) {
                            throw new IllegalArgumentException("--only '" + name + "' is not a benchmark: expected one of " + BENCHMARKS);
                        }
                        only.add(name.strip());
                    }
                }
                case "--java" -> java = Path.of(value(args, ++i));
                case "--agent" -> agent = Path.of(value(args, ++i));
                case "--sample-engine" -> sample = Path.of(value(args, ++i));
                case "--sample-config" -> sampleConfig = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--help", "-h" -> throw new IllegalArgumentException(null, null);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        Path emptyAgent = benchJar.resolveSibling("benchmarks-empty-agent.jar");
        return new Options(quick, only, java.toAbsolutePath(), benchJar, emptyAgent, agent.toAbsolutePath().normalize(),
                sample.toAbsolutePath().normalize(), sampleConfig.toAbsolutePath().normalize(), out);
    }

    /** Missing inputs, each as one line naming the file and how to get it; empty when all are there. */
    List<String> missingFiles() {
        List<String> missing = new java.util.ArrayList<>();
        check(missing, java, "the java launcher (--java)");
        check(missing, emptyAgentJar, "the empty agent jar, built with the benchmarks module (mvn -pl benchmarks -am package)");
        check(missing, agentJar, "numa-agent.jar (mvn -B -q -pl benchmarks -am package -DskipTests, or --agent PATH)");
        if (only.contains("sample")) {
            check(missing, sampleJar, "sample-engine.jar (built by the same command, or --sample-engine PATH)");
            check(missing, exampleConfig, "the sample engine's agent configuration (--sample-config PATH)");
        }
        return missing;
    }

    private static void check(List<String> missing, Path file, String what) {
        if (!Files.isRegularFile(file)) {
            missing.add(file + " does not exist: " + what);
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static Path selfJar() {
        try {
            return Path.of(Options.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmark jar", e);
        }
    }
}
