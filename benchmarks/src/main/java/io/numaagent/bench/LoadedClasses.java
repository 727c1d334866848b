package io.numaagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code -Xlog:class+load=info:file=F:none} log: which classes a JVM loaded and from where, grouped
 * by the library they belong to, to show where an agent's start-up time goes.
 */
final class LoadedClasses {

    /** Library name by package prefix; first match wins. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("io.numaagent.bench.", "benchmark");
        LIBRARIES.put("io.numaagent.", "numa-agent");
        LIBRARIES.put("net.bytebuddy.", "Byte Buddy");
        LIBRARIES.put("com.sun.jna.", "JNA");
        LIBRARIES.put("net.openhft.", "OpenHFT");
        LIBRARIES.put("org.slf4j.", "SLF4J");
    }

    private LoadedClasses() {
    }

    static String jvmOption(Path logFile) {
        return "-Xlog:class+load=info:file=" + logFile + ":none";
    }

    /** Class names in load order. */
    static Set<String> names(Path logFile) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines(logFile)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                names.add(line.substring(0, space));
            }
        }
        return names;
    }

    /** Counts by library; JDK classes split into those from the CDS archive and those parsed from the jimage. */
    static Map<String, Integer> byLibrary(Path logFile) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String group : List.of("total", "JDK from CDS archive", "JDK parsed", "numa-agent", "Byte Buddy", "JNA", "OpenHFT", "SLF4J",
                "benchmark", "other")) {
            counts.put(group, 0);
        }
        for (String line : lines(logFile)) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = line.substring(0, space);
            counts.merge("total", 1, Integer::sum);
            String group = null;
            for (Map.Entry<String, String> e : LIBRARIES.entrySet()) {
                if (name.startsWith(e.getKey())) {
                    group = e.getValue();
                    break;
                }
            }
            if (group == null) {
                boolean jdk = line.contains("source: jrt:/") || line.contains("source: shared objects file")
                        || line.contains("__JVM_") || line.contains("source: java.") || line.contains("source: jdk.")
                        || line.contains("source: sun.") || name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.");
                group = !jdk ? "other" : line.contains("shared objects file") ? "JDK from CDS archive" : "JDK parsed";
            }
            counts.merge(group, 1, Integer::sum);
        }
        return counts;
    }

    private static List<String> lines(Path logFile) {
        try {
            return Files.readAllLines(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class load log " + logFile, e);
        }
    }
}
