package io.numaagent.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Robust summaries: median, p10/p90 and the median absolute deviation, and bootstrap intervals for
 * figures computed from medians (ratios, added costs). Medians, not means: one descheduled child on a
 * shared 2-CPU machine must not move a figure.
 */
final class Stats {

    /** Resamples per interval: enough for a 90 % interval to settle within a few per mille. */
    private static final int BOOTSTRAP = 1000;
    /** Fixed seed: the same data always print the same interval. */
    private static final long SEED = 20261122L;

    private Stats() {
    }

    record Summary(int n, double median, double p10, double p90, double mad) {
    }

    record Interval(double low, double high) {
        boolean contains(double value) {
            return low <= value && value <= high;
        }
    }

    static Summary summarize(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = quantileOfSorted(sorted, 0.5);
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(deviations);
        return new Summary(sorted.length, median, quantileOfSorted(sorted, 0.10), quantileOfSorted(sorted, 0.90),
                quantileOfSorted(deviations, 0.5));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return quantileOfSorted(sorted, 0.5);
    }

    /** Linear interpolation between closest ranks (type 7, as R and NumPy default). */
    static double quantileOfSorted(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * 90 % percentile-bootstrap interval of {@code figure(medians)}, where {@code medians[i]} is the median of
     * a resample of {@code samples.get(i)} (each sample resampled on its own: the variants ran in different
     * processes, so there is no pairing to keep).
     */
    static Interval bootstrap(List<double[]> samples, ToDoubleFunction<double[]> figure) {
        SplittableRandom random = new SplittableRandom(SEED);
        int iterations = samples.stream().mapToInt(s -> s.length).max().orElse(0) > 5000 ? BOOTSTRAP / 4 : BOOTSTRAP;
        double[] figures = new double[iterations];
        double[] medians = new double[samples.size()];
        for (int it = 0; it < iterations; it++) {
            for (int s = 0; s < samples.size(); s++) {
                double[] sample = samples.get(s);
                double[] resample = new double[sample.length];
                for (int i = 0; i < sample.length; i++) {
                    resample[i] = sample[random.nextInt(sample.length)];
                }
                medians[s] = median(resample);
            }
            figures[it] = figure.applyAsDouble(medians);
        }
        Arrays.sort(figures);
        return new Interval(quantileOfSorted(figures, 0.05), quantileOfSorted(figures, 0.95));
    }
}
