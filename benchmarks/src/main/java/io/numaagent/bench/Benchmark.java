package io.numaagent.bench;

/** One of the benchmarks: runs its variants in child JVMs and adds figures, targets and notes to the report. */
interface Benchmark {

    /** The name used by {@code --only} and in the report. */
    String name();

    void run(Setup setup, Report report);
}
