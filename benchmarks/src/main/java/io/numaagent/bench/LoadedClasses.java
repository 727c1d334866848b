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

    static final List<String> GROUPS = List.of("total", "JDK from CDS archive", "JDK parsed", "numa-agent", "Byte Buddy", "JNA",
            "OpenHFT", "SLF4J", "benchmark", "other");

    /** One loaded class: JVM uptime at the load, its name, where from. */
    record Load(long uptimeNanos, String name, String line) {
    }

    /** Per library: classes loaded, and the uptime gaps that ended in one of its loads (see {@link #byLibrary}). */
    record Group(int classes, long nanos) {
    }

    static String jvmOption(Path logFile) {
        return "-Xlog:class+load=info:file=" + logFile + ":uptimenanos";
    }

    /** Class names in load order. */
    static Set<String> names(Path logFile) {
        Set<String> names = new LinkedHashSet<>();
        for (Load load : loads(logFile)) {
            names.add(load.name());
        }
        return names;
    }

    static List<Load> loads(Path logFile) {
        List<Load> loads = new java.util.ArrayList<>();
        for (String line : lines(logFile)) {
            // [123456789ns] java.lang.Object source: shared objects file
            int close = line.indexOf("ns] ");
            if (!line.startsWith("[") || close < 0 || !line.contains(" source: ")) {
                continue; // "opened: JAR" lines and the like
            }
            String rest = line.substring(close + 4);
            int space = rest.indexOf(' ');
            if (space > 0) {
                loads.add(new Load(Long.parseLong(line.substring(1, close)), rest.substring(0, space), rest));
            }
        }
        return loads;
    }

    /**
     * Counts by library, JDK classes split into those from the CDS archive and those parsed from the jimage;
     * and a rough time profile: the uptime between one class load and the next is charged to the library of
     * the next (it was loading, linking, or running code that needed it). Rough, but it says which library
     * the start-up time went to; "total" holds the uptime of the last load.
     */
    static Map<String, Group> byLibrary(Path logFile) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Long> nanos = new LinkedHashMap<>();
        for (String group : GROUPS) {
            counts.put(group, 0);
            nanos.put(group, 0L);
        }
        long previous = 0;
        for (Load load : loads(logFile)) {
            String name = load.name();
            String line = load.line();
            counts.merge("total", 1, Integer::sum);
            nanos.put("total", load.uptimeNanos());
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
            nanos.merge(group, Math.max(0, load.uptimeNanos() - previous), Long::sum);
            previous = load.uptimeNanos();
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        counts.forEach((group, n) -> groups.put(group, new Group(n, nanos.get(group))));
        return groups;
    }

    private static List<String> lines(Path logFile) {
        try {
            return Files.readAllLines(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class load log " + logFile, e);
        }
    }
}
