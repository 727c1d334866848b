package io.numaagent.topology;

/**
 * A class of CPUs that perform alike ("CPU kind", as hwloc calls it): big or little cores, Priority
 * Core Turbo or Turbo Boost Max cores, AMD preferred cores, SST-BF high-priority cores.
 *
 * @param rank   0 for the fastest class of the machine, then 1, 2, ...; every CPU of a machine whose
 *               CPUs all read alike is in the one class of rank 0
 * @param cpus   the usable CPUs of the class (restricted to a node when asked per node)
 * @param source the sysfs value that set this class apart from its neighbour in the ranking (e.g.
 *               {@code cpu_capacity}, {@code acpi_cppc/highest_perf}), or {@link #UNIFORM}
 * @param values the values each deciding source reads on these CPUs, e.g.
 *               {@code cpu_capacity 997-1024, cpuinfo_max_freq 3900000}; empty when uniform
 */
public record CpuKind(int rank, CpuSet cpus, String source, String values) {

    /** The source of the one class of a machine whose CPUs all read alike. */
    public static final String UNIFORM = "uniform";

    /** The same class restricted to some CPUs. */
    public CpuKind within(CpuSet subset) {
        return new CpuKind(rank, cpus.intersect(subset), source, values);
    }
}
