package io.numaagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void percentilesInterpolateBetweenClosestRanks() {
        double[] values = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
        Stats.Summary s = Stats.summarize(values);
        assertEquals(60, s.median());
        assertEquals(20, s.p10(), 1e-9);
        assertEquals(100, s.p90(), 1e-9);
    }

    @Test
    void madIgnoresOneOutlier() {
        Stats.Summary s = Stats.summarize(new double[] {10, 11, 9, 10, 10, 1000});
        assertEquals(10, s.median());
        assertEquals(0.5, s.mad());
    }

    @Test
    void bootstrapIntervalOfARatioContainsThePointEstimateAndIsRepeatable() {
        double[] a = new double[200];
        double[] b = new double[200];
        for (int i = 0; i < 200; i++) {
            a[i] = 110 + (i % 17);
            b[i] = 100 + (i % 13);
        }
        double ratio = Stats.median(a) / Stats.median(b);
        Stats.Interval first = Stats.bootstrap(List.of(a, b), m -> m[0] / m[1]);
        Stats.Interval second = Stats.bootstrap(List.of(a, b), m -> m[0] / m[1]);
        assertTrue(first.contains(ratio), first + " should contain " + ratio);
        assertTrue(first.high() - first.low() < 0.1, "interval too wide: " + first);
        assertEquals(first, second);
    }
}
