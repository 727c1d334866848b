package io.numaagent.bench;

import java.util.List;

/**
 * Runs every variant once per round, starting each round one variant further along, so that drift
 * (other load on the machine, CPU frequency, page cache) hits all variants alike and no variant always
 * runs right after the same neighbour.
 */
final class RoundRobin {

    interface Step {
        void run(int round, Variant variant);
    }

    private RoundRobin() {
    }

    /** Rounds {@code -warmup .. rounds-1}; negative rounds are warm-up and the step should discard them. */
    static void run(int warmup, int rounds, List<Variant> variants, Step step) {
        int n = variants.size();
        for (int round = -warmup; round < rounds; round++) {
            int offset = Math.floorMod(round, n);
            for (int i = 0; i < n; i++) {
                step.run(round, variants.get((offset + i) % n));
            }
        }
    }
}
