package io.numaagent.topology;

/**
 * Where a worker of a named device should run.
 *
 * @param name        the name asked for, e.g. {@code gpu:0}
 * @param node        the device's NUMA node, -1 when it has none
 * @param cpus        CPUs to pin a worker to: always within {@link Topology#cpus()}, never empty
 *                    unless the machine has no usable CPU
 * @param memoryNodes node ids for the memory policy; empty means no locality (leave memory alone)
 * @param explanation one line saying where the device is, or why a fallback was used
 */
public record DeviceLocation(String name, int node, CpuSet cpus, CpuSet memoryNodes, String explanation) {
}
