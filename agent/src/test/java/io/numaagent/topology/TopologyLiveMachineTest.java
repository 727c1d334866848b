package io.numaagent.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** On this machine the reader agrees with {@code numactl -H} and {@code lscpu} (when they are installed). */
class TopologyLiveMachineTest {

    static String runTool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? output : null;
    }

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void nodesAgreeWithNumactl() throws Exception {
        assumeTrue(installed("numactl"), "numactl is not installed");
        String out = runTool("numactl", "-H");
        assumeTrue(out != null && out.contains("available:"), "numactl -H found no NUMA support");
        Topology t = TopologyReader.readLive();
        Matcher m = Pattern.compile("node (\\d+) cpus:([ \\d]*)").matcher(out);
        List<Integer> ids = new ArrayList<>();
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            ids.add(id);
            CpuSet expected = CpuSet.EMPTY;
            for (String c : m.group(2).trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    expected = expected.with(Integer.parseInt(c));
                }
            }
            // numactl lists the node's CPUs restricted to the process's affinity, as the reader does.
            assertEquals(expected, t.node(id).map(NumaNode::cpus).orElse(CpuSet.EMPTY), "node " + id + " in numactl -H:\n" + out);
        }
        assertEquals(ids, t.nodes().stream().map(NumaNode::id).toList(), out);
    }

    @Test
    void onlineCpusAgreeWithLscpu() throws Exception {
        assumeTrue(installed("lscpu"), "lscpu is not installed");
        String out = runTool("lscpu");
        assumeTrue(out != null);
        Matcher m = Pattern.compile("On-line CPU\\(s\\) list:\\s*(\\S+)").matcher(out);
        assumeTrue(m.find(), "lscpu printed no on-line CPU list");
        Topology t = TopologyReader.readLive();
        assertEquals(CpuSet.parseList(m.group(1)), t.onlineCpus(), out);
        Matcher nodes = Pattern.compile("NUMA node(\\d+) CPU\\(s\\):\\s*(\\S+)").matcher(out);
        while (nodes.find()) {
            int id = Integer.parseInt(nodes.group(1));
            CpuSet all = CpuSet.parseList(nodes.group(2));
            t.node(id).ifPresent(n -> assertEquals(all.intersect(t.cpus()), n.cpus(), "lscpu node " + id));
        }
    }
}
