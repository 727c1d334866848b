package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.util.List;
import java.util.Optional;

/** Hands out CPUs that no other thread of this JVM, nor any other process using the same lock directory, holds. */
public interface ExclusiveCpus {

    /**
     * Leases the first candidate all of whose CPUs are free: a candidate is one CPU, or one whole core
     * (all its SMT siblings). Never blocks for long and never throws; empty when every candidate is taken.
     *
     * @param owner who holds the lease, for the lock file's content and logs (e.g. the thread name)
     */
    Optional<CpuLease> acquire(List<CpuSet> candidatesInPreferenceOrder, String owner);

    /** How many CPUs this JVM holds now. */
    int leased();
}
