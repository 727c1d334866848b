package io.numaagent.it.vm;

import io.numaagent.it.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Boots the NUMA VM (numavm {@code run.sh}: a real multi-node Linux kernel under QEMU, whose root file
 * system is this machine's) once, running one script of {@code it-tests/src/test/vm/}. The script
 * writes its results into a fresh directory under {@code it-tests/target/vm/}, which the guest shares
 * with the host; the tests then judge those files. Java runs inside the VM only as plain {@code java}
 * commands of the jars built on the host: the VM is about 20 times slower.
 */
final class NumaVm {

    /** Where numavm is; {@code -Dnuma.vm.run=...} or {@code NUMAVM_RUN} override it. */
    static final String DEFAULT_RUN_SH = "/work/shared/tools/numavm/run.sh";
    /** One boot of a script of a handful of JVMs takes 1-3 minutes on a busy 2-core host. */
    static final Duration BOOT_LIMIT = Duration.ofMinutes(10);

    private NumaVm() {
    }

    /** What one boot left behind. */
    record Result(String topology, int exitCode, String console, Path dir, Duration took) {

        Path file(String name) {
            return dir.resolve(name);
        }

        String read(String name) {
            try {
                return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("the VM script left no " + name + " in " + dir + "\n" + describe(), e);
            }
        }

        List<String> lines(String name) {
            return read(name).lines().toList();
        }

        /** The console and every file the script wrote: printed with any failed assertion. */
        String describe() {
            StringBuilder sb = new StringBuilder("=== NUMA VM " + topology + ": exit " + exitCode + " after "
                    + took.toSeconds() + " s, results in " + dir + "\n--- console:\n" + console);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (f.getFileName().toString().endsWith(".properties")) {
                        continue;
                    }
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    sb.append("\n--- ").append(f.getFileName()).append(":\n")
                            .append(text.length() > 6000 ? text.substring(0, 6000) + "\n[... cut]" : text);
                }
            } catch (IOException e) {
                sb.append("\n(cannot list ").append(dir).append(": ").append(e).append(')');
            }
            return sb.append("\n===").toString();
        }
    }

    static Path runSh() {
        String configured = System.getProperty("numa.vm.run", System.getenv().getOrDefault("NUMAVM_RUN", DEFAULT_RUN_SH));
        Path path = Path.of(configured);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("the NUMA VM runner " + path + " is not there: set -Dnuma.vm.run=PATH/run.sh"
                    + " (the numavm tool) or run the tests without the vm group (-DexcludedGroups=vm)");
        }
        return path;
    }

    /**
     * Boots a VM with {@code runShOptions} (e.g. {@code -c 2,2,0}) and runs {@code script} in it, with
     * the config fixtures {@code configs} copied into the results directory first.
     */
    static Result boot(String topology, List<String> runShOptions, String script, String... configs) {
        Path itTests = Path.of(System.getProperty("numa.vm.scripts", "src/test/vm")).toAbsolutePath().getParent().getParent().getParent();
        Path dir = itTests.resolve("target/vm/" + topology + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(dir);
            for (String config : configs) {
                try (var in = NumaVm.class.getClassLoader().getResourceAsStream("configs/" + config)) {
                    if (in == null) {
                        throw new IllegalStateException("config fixture configs/" + config + " is not on the test class path");
                    }
                    Files.write(dir.resolve(config), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path scriptPath = itTests.resolve("src/test/vm").resolve(script);
        List<String> command = new ArrayList<>();
        command.add(runSh().toString());
        command.addAll(List.of("-t", Long.toString(BOOT_LIMIT.toSeconds())));
        command.addAll(runShOptions);
        command.add("bash " + scriptPath);
        Path console = dir.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        pb.environment().put("JAVA", ChildJvm.javaExecutable().toString());
        pb.environment().put("AGENT_JAR", ChildJvm.builtFile("numa.agent.jar").toString());
        pb.environment().put("ENGINE_JAR", ChildJvm.builtFile("numa.sample.jar").toString());
        // not OUT: run.sh uses that name itself
        pb.environment().put("NUMA_VM_OUT", dir.toString());
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(BOOT_LIMIT.toSeconds() + 60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            int code = p.isAlive() ? -1 : p.exitValue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String text = Files.readString(console, StandardCharsets.UTF_8);
            System.out.println("NUMA VM " + topology + " (" + String.join(" ", runShOptions) + "): exit " + code + " in "
                    + took.toSeconds() + " s; results in " + dir);
            return new Result(topology, code, text, dir, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the NUMA VM ran", e);
        }
    }
}
