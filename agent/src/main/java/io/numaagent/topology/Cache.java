package io.numaagent.topology;

/**
 * One CPU cache shared by {@code cpus} (its {@code shared_cpu_list} restricted to usable CPUs).
 *
 * @param type "Data", "Instruction" or "Unified", as the kernel names it
 */
public record Cache(int level, String type, long sizeBytes, CpuSet cpus) {
}
