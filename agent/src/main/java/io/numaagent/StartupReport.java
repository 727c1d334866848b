package io.numaagent;

import io.numaagent.config.AgentConfig;
import io.numaagent.config.Rule;
import io.numaagent.topology.NumaNode;
import io.numaagent.topology.PciDevice;
import io.numaagent.topology.Topology;
import java.util.Locale;
import java.util.StringJoiner;
import org.slf4j.Logger;

/**
 * The few lines an operator reads at start: the machine as the agent sees it, and the rules. Written
 * with loops and a StringBuilder, not lambdas and {@code String.format}: it runs in every JVM's
 * start-up, where each lambda costs a generated class and the Formatter dozens of classes.
 */
final class StartupReport {

    private StartupReport() {
    }

    static void log(Logger log, Topology topology, AgentConfig config) {
        if (!log.isInfoEnabled()) {
            return; // every line is at info; nothing to build
        }
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
        for (String note : topology.notes()) {
            log.info("topology note: {}", note);
        }
        for (Rule rule : config.rules()) {
            log.info("rule {}: {} -> device {}, cpus {}, memory {}", rule.name(), rule.matchKeys(), rule.device().text(),
                    rule.cpus().name().toLowerCase(Locale.ROOT), rule.memory().name().toLowerCase(Locale.ROOT));
        }
        log.info("process.cpus = {}", config.processCpus().name().toLowerCase(Locale.ROOT));
    }

    /** {@code 15.6 GiB}: bytes in GiB, one decimal rounded half up, as {@code %.1f} wrote it. */
    static String gib(long bytes) {
        if (bytes <= 0) {
            return "no memory";
        }
        long whole = bytes >>> 30;
        long tenths = ((bytes & ((1L << 30) - 1)) * 10 + (1L << 29)) >>> 30;
        if (tenths == 10) {
            whole++;
            tenths = 0;
        }
        return whole + "." + tenths + " GiB";
    }
}
