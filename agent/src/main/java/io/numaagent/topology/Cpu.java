package io.numaagent.topology;

/**
 * One online CPU the process may run on, with its place in the machine and the raw performance
 * values the kernel exposes (kept for ranking CPUs later; -1 or null when the file is absent).
 *
 * @param id                    logical CPU id
 * @param packageId             {@code topology/physical_package_id}, -1 when unknown
 * @param dieId                 {@code topology/die_id}, -1 when unknown
 * @param coreId                {@code topology/core_id}, -1 when unknown
 * @param siblings              SMT siblings: {@code topology/core_cpus_list} (or {@code thread_siblings_list})
 *                              as the kernel lists them, including this CPU
 * @param node                  the NUMA node holding this CPU, -1 when none does
 * @param acpiHighestPerf       {@code acpi_cppc/highest_perf}
 * @param amdPreferredCoreRanking {@code cpufreq/amd_pstate_prefcore_ranking}
 * @param amdHighestPerf        {@code cpufreq/amd_pstate_highest_perf}
 * @param capacity              {@code cpu_capacity} (Arm big.LITTLE, 1024 = biggest)
 * @param baseFrequencyKHz      {@code cpufreq/base_frequency}
 * @param maxFrequencyKHz       {@code cpufreq/cpuinfo_max_freq}
 * @param hybridType            "core" or "atom" from {@code sys/devices/cpu_core/cpus} and
 *                              {@code sys/devices/cpu_atom/cpus} (Intel hybrid), null otherwise
 */
public record Cpu(int id, int packageId, int dieId, int coreId, CpuSet siblings, int node,
        long acpiHighestPerf, long amdPreferredCoreRanking, long amdHighestPerf, long capacity,
        long baseFrequencyKHz, long maxFrequencyKHz, String hybridType) {
}
