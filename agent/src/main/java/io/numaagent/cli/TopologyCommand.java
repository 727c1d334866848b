package io.numaagent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.numaagent.topology.Cache;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.NumaNode;
import io.numaagent.topology.PciDevice;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** {@code topology [--root DIR] [--json]}: prints the machine as the agent sees it. */
final class TopologyCommand {

    static final String USAGE = "topology [--root DIR] [--json]";

    private TopologyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path root = Path.of("/");
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--root" -> {
                    if (i + 1 >= args.length) {
                        err.println("numa-agent topology: --root needs a directory; usage: " + USAGE);
                        return Cli.USAGE;
                    }
                    root = Path.of(args[++i]);
                }
                default -> {
                    if (args[i].startsWith("--root=")) {
                        root = Path.of(args[i].substring(7));
                    } else {
                        err.println("numa-agent topology: unknown option '" + args[i] + "'; usage: " + USAGE);
                        return Cli.USAGE;
                    }
                }
            }
        }
        Topology t;
        try {
            t = TopologyReader.read(root, env);
        } catch (TopologyException e) {
            err.println("numa-agent topology: " + e.getMessage());
            return Cli.USAGE;
        }
        if (json) {
            out.println(toJson(t));
        } else {
            out.print(toText(t));
        }
        return 0;
    }

    static String toText(Topology t) {
        StringBuilder sb = new StringBuilder();
        sb.append("CPUs usable: ").append(t.cpus()).append(" (").append(t.cpus().size()).append(" of ")
                .append(t.onlineCpus().size()).append(" online)\n");
        CpuSet hidden = t.onlineCpus().minus(t.cpus());
        if (!hidden.isEmpty()) {
            sb.append("hidden by the cpuset: CPUs ").append(hidden).append('\n');
        }
        sb.append("memory nodes allowed: ").append(t.allowedMemoryNodes()).append('\n');
        sb.append("\nNUMA nodes:\n");
        for (NumaNode n : t.nodes()) {
            sb.append(String.format("  node %-3d cpus %-24s %10s", n.id(), n.cpus().isEmpty() ? "(none)" : n.cpus().toList(),
                    human(n.memoryBytes())));
            if (n.memoryOnly()) {
                sb.append("  memory only, near CPUs ").append(n.nearCpus().isEmpty() ? "(none)" : n.nearCpus().toList());
            }
            sb.append('\n');
        }
        if (t.nodes().stream().anyMatch(n -> !n.distances().isEmpty())) {
            sb.append("\ndistances:\n       ");
            for (NumaNode n : t.nodes()) {
                sb.append(String.format("%5d", n.id()));
            }
            sb.append('\n');
            for (NumaNode n : t.nodes()) {
                sb.append(String.format("  %4d ", n.id()));
                for (NumaNode m : t.nodes()) {
                    Integer d = n.distances().get(m.id());
                    sb.append(String.format("%5s", d == null ? "-" : d.toString()));
                }
                sb.append('\n');
            }
        }
        sb.append("\ncores: ").append(t.cores().size()).append(", L3 caches: ");
        StringBuilder l3 = new StringBuilder();
        for (Cache c : t.caches()) {
            if (c.level() == 3) {
                l3.append(l3.length() == 0 ? "" : ", ").append(c.cpus()).append(" (").append(human(c.sizeBytes())).append(')');
            }
        }
        sb.append(l3.length() == 0 ? "none" : l3).append('\n');
        boolean anyNamed = t.devices().stream().anyMatch(d -> !d.names().isEmpty());
        sb.append("\ndevices").append(anyNamed ? " (named; any PCI function also answers to pci:ADDRESS)" : "").append(":\n");
        int shown = 0;
        for (PciDevice d : t.devices()) {
            if (d.names().isEmpty()) {
                continue;
            }
            shown++;
            sb.append(String.format("  %-14s %-8s node %-3s cpus %-20s %s%n", d.address(), d.classCode(),
                    d.node() < 0 ? "-" : Integer.toString(d.node()), d.cpus(), String.join(" ", d.names())));
        }
        if (shown == 0) {
            sb.append("  (no named device; ").append(t.devices().size()).append(" PCI functions)\n");
        }
        if (!t.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            for (String note : t.notes()) {
                sb.append("  - ").append(note).append('\n');
            }
        }
        return sb.toString();
    }

    static String toJson(Topology t) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("cpus", t.cpus().toList());
            g.writeStringField("online_cpus", t.onlineCpus().toList());
            g.writeStringField("allowed_cpus", t.allowedCpus().toList());
            g.writeStringField("allowed_memory_nodes", t.allowedMemoryNodes().toList());
            g.writeArrayFieldStart("nodes");
            for (NumaNode n : t.nodes()) {
                g.writeStartObject();
                g.writeNumberField("id", n.id());
                g.writeStringField("cpus", n.cpus().toList());
                g.writeStringField("near_cpus", n.nearCpus().toList());
                g.writeNumberField("memory_bytes", n.memoryBytes());
                g.writeObjectFieldStart("distances");
                for (Map.Entry<Integer, Integer> e : n.distances().entrySet()) {
                    g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("devices");
            for (PciDevice d : t.devices()) {
                g.writeStartObject();
                g.writeStringField("address", d.address());
                g.writeStringField("class", d.classCode());
                g.writeStringField("vendor", d.vendor());
                g.writeStringField("device", d.deviceId());
                g.writeNumberField("node", d.node());
                g.writeStringField("local_cpus", d.localCpus().toList());
                g.writeStringField("cpus", d.cpus().toList());
                g.writeArrayFieldStart("names");
                for (String name : d.names()) {
                    g.writeString(name);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String note : t.notes()) {
                g.writeString(note);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    private static String human(long bytes) {
        if (bytes <= 0) {
            return "?";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(v >= 10 || u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
