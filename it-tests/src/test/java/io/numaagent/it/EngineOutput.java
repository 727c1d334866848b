package io.numaagent.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample engine's result lines ({@code worker name=gpu-worker-0 tid=.. cpus=..} and
 * {@code thread name=io-0 tid=.. cpus=..}) as key/value maps, by thread name.
 */
public final class EngineOutput {

    /** One result line. */
    public record Line(String kind, Map<String, String> fields) {
        public String name() {
            return fields.get("name");
        }

        public long tid() {
            return Long.parseLong(fields.get("tid"));
        }

        public String get(String key) {
            String value = fields.get(key);
            if (value == null) {
                throw new AssertionError("no " + key + "= in " + this);
            }
            return value;
        }
    }

    private final Map<String, Line> byName = new LinkedHashMap<>();

    private EngineOutput(List<String> stdout) {
        for (String text : stdout) {
            if (text.startsWith("worker ") || text.startsWith("thread ")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String token : text.substring(7).split(" ")) {
                    int eq = token.indexOf('=');
                    if (eq > 0) {
                        fields.put(token.substring(0, eq), token.substring(eq + 1));
                    }
                }
                Line line = new Line(text.substring(0, 6), Map.copyOf(fields));
                byName.put(line.name(), line);
            }
        }
    }

    /** The result lines of an engine run elsewhere (e.g. inside the NUMA VM), from its stdout. */
    public static EngineOutput parse(List<String> stdout) {
        return new EngineOutput(stdout);
    }

    public static EngineOutput of(ChildJvm engine) {
        return new EngineOutput(engine.stdoutLines());
    }

    public Line thread(String name) {
        return Optional.ofNullable(byName.get(name))
                .orElseThrow(() -> new AssertionError("the engine printed no line for thread " + name + ": " + byName.keySet()));
    }

    public List<Line> workers() {
        return byName.values().stream().filter(l -> l.kind().equals("worker")).toList();
    }

    public List<Line> threadsNamedLike(String regex) {
        return byName.values().stream().filter(l -> l.name().matches(regex)).toList();
    }
}
