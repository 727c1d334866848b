package io.numaagent.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The machine a run measured, for the end of the report: numbers mean little without it. */
final class Machine {

    private Machine() {
    }

    static String loadAverage() {
        String load = read("/proc/loadavg");
        String[] parts = load.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : load;
    }

    static List<String> describe(Setup setup, String loadBefore, long wallSeconds) {
        List<String> lines = new ArrayList<>();
        String model = "?";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            // "?" below
        }
        lines.add("CPU: " + model + "; online CPUs " + read("/sys/devices/system/cpu/online") + " ("
                + Runtime.getRuntime().availableProcessors() + " available to the JVM); NUMA nodes: " + numaNodes());
        lines.add("JDK (child JVMs): " + setup.jdkDescription + ", " + setup.java);
        lines.add("Kernel: " + System.getProperty("os.name") + " " + read("/proc/sys/kernel/osrelease") + " " + System.getProperty("os.arch"));
        lines.add("Load average (1/5/15 min) before: " + loadBefore + ", after: " + loadAverage());
        lines.add("Mode: " + (setup.options.quick() ? "--quick (smoke: too few runs to trust the figures)" : "full")
                + ", benchmarks " + String.join(",", setup.options.only()) + "; wall time " + wallSeconds + " s");
        lines.add("Agent: " + setup.options.agentJar());
        return lines;
    }

    private static String numaNodes() {
        List<String> nodes = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/sys/devices/system/node"), "node[0-9]*")) {
            for (Path node : dir) {
                nodes.add(node.getFileName() + " cpus " + read(node.resolve("cpulist").toString()));
            }
        } catch (IOException e) {
            return "? (no /sys/devices/system/node)";
        }
        nodes.sort(null);
        return nodes.size() + " (" + String.join(", ", nodes) + ")";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
