package io.numaagent;

import io.numaagent.config.AgentConfig;
import io.numaagent.config.Rule;
import io.numaagent.topology.NumaNode;
import io.numaagent.topology.PciDevice;
import io.numaagent.topology.Topology;
import java.util.Locale;
import java.util.StringJoiner;
import org.slf4j.Logger;

/** The few lines an operator reads at start: the machine as the agent sees it, and the rules. */
final class StartupReport {

    private StartupReport() {
    }

    static void log(Logger log, Topology topology, AgentConfig config) {
        StringJoiner nodes = new StringJoiner("; ");
        for (NumaNode node : topology.nodes()) {
            nodes.add("node " + node.id() + " cpus " + (node.memoryOnly() ? "none (memory only, near " + node.nearCpus().toList() + ")" : node.cpus().toList())
                    + " " + gib(node.memoryBytes()));
        }
        log.info("topology: {} CPU(s) usable ({}), {} node(s): {}", topology.cpus().size(), topology.cpus().toList(),
                topology.nodes().size(), nodes);
        StringJoiner devices = new StringJoiner(", ");
        for (PciDevice device : topology.devices()) {
            if (!device.names().isEmpty()) {
                devices.add(String.join("/", device.names()) + " node " + device.node());
            }
        }
        if (devices.length() > 0) {
            log.info("devices: {}", devices);
        }
        topology.notes().forEach(note -> log.info("topology note: {}", note));
        for (Rule rule : config.rules()) {
            StringJoiner match = new StringJoiner(" and ");
            rule.threadName().ifPresent(p -> match.add("thread-name " + p.pattern()));
            rule.threadClass().ifPresent(p -> match.add("thread-class " + p));
            rule.runnableClass().ifPresent(p -> match.add("runnable-class " + p));
            log.info("rule {}: {} -> device {}, cpus {}, memory {}", rule.name(), match, rule.device().text(),
                    rule.cpus().name().toLowerCase(Locale.ROOT), rule.memory().name().toLowerCase(Locale.ROOT));
        }
        log.info("process.cpus = {}", config.processCpus().name().toLowerCase(Locale.ROOT));
    }

    private static String gib(long bytes) {
        return bytes <= 0 ? "no memory" : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
