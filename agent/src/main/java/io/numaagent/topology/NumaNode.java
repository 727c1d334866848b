package io.numaagent.topology;

import java.util.Map;
import java.util.TreeMap;

/**
 * One NUMA node the process may allocate memory on.
 *
 * @param id          the kernel's node id (ids can be sparse, up to 255 and more)
 * @param cpus        the node's own CPUs that are online and allowed; empty for a memory-only node
 *                    or a node whose CPUs the cpuset hides
 * @param nearCpus    the allowed CPUs local to this node's memory: {@code cpus} for a node with CPUs;
 *                    for a node without CPUs, those of its HMAT initiators or of the nearest nodes by
 *                    distance (see {@link Topology#notes()})
 * @param memoryBytes {@code MemTotal} of the node's {@code meminfo}, 0 when unknown
 * @param distances   node id to the kernel's relative distance (10 = local); empty when unknown
 */
public record NumaNode(int id, CpuSet cpus, CpuSet nearCpus, long memoryBytes, Map<Integer, Integer> distances) {

    public NumaNode {
        distances = java.util.Collections.unmodifiableMap(new TreeMap<>(distances));
    }

    /** A node with memory the process may use but no CPU it may run on. */
    public boolean memoryOnly() {
        return cpus.isEmpty();
    }
}
