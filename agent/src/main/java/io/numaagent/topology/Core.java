package io.numaagent.topology;

/**
 * One physical core with at least one usable CPU.
 *
 * @param cpus the core's SMT siblings that the process may run on
 * @param node the NUMA node of the core's CPUs, -1 when none
 */
public record Core(int packageId, int coreId, CpuSet cpus, int node) {
}
