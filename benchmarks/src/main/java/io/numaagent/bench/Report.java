package io.numaagent.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run, printed as Markdown: one table of every figure with its baseline and ratio,
 * one table of the targets (PASS/MISS, never a build failure), notes, failures and the machine.
 */
final class Report {

    /** One measured figure; {@code baseline} is null for the baseline itself. */
    record Figure(String benchmark, String variant, String unit, Stats.Summary summary, String baseline,
                  double ratio, Stats.Interval ratioInterval) {
    }

    /** A target from the issue, checked against the point estimate; the interval says if noise could flip it. */
    record Target(String description, String measured, double value, double limit, Stats.Interval interval) {
        boolean pass() {
            return value <= limit;
        }

        /** NaN: the figure could not be computed (e.g. a baseline cost that noise made zero or negative). */
        String verdict() {
            if (Double.isNaN(value)) {
                return "INCONCLUSIVE";
            }
            String verdict = pass() ? "PASS" : "MISS";
            return interval != null && interval.contains(limit) ? verdict + " (within noise)" : verdict;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    void baseline(String benchmark, String variant, String unit, double[] values) {
        figures.add(new Figure(benchmark, variant, unit, Stats.summarize(values), null, Double.NaN, null));
    }

    /** A figure with its ratio to {@code baselineValues} (median over median) and that ratio's 90 % interval. */
    void figure(String benchmark, String variant, String unit, double[] values, String baseline, double[] baselineValues) {
        Stats.Summary summary = Stats.summarize(values);
        double ratio = summary.median() / Stats.median(baselineValues);
        Stats.Interval interval = Stats.bootstrap(List.of(values, baselineValues), m -> m[0] / m[1]);
        figures.add(new Figure(benchmark, variant, unit, summary, baseline, ratio, interval));
    }

    /** A figure derived from others (e.g. an added cost); its spread is the bootstrap interval. */
    void derived(String benchmark, String variant, String unit, double value, Stats.Interval interval) {
        figures.add(new Figure(benchmark, variant, unit, new Stats.Summary(0, value, interval.low(), interval.high(), Double.NaN),
                null, Double.NaN, null));
    }

    void target(Target target) {
        targets.add(target);
    }

    void note(String benchmark, String line) {
        notes.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(line);
    }

    void failure(String line) {
        failures.add(line);
    }

    List<String> failures() {
        return failures;
    }

    List<Target> targets() {
        return targets;
    }

    String render(String title, List<String> machine) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(title).append("\n\n");
        out.append("Medians over runs; spread p10–p90 and MAD (median absolute deviation); ratio = median / baseline median, "
                + "with its 90 % bootstrap interval. Derived rows (no n) show the 90 % bootstrap interval as the spread.\n\n");
        out.append("| benchmark | variant | median | p10–p90 | MAD | n | baseline | ratio (90 % CI) |\n");
        out.append("|---|---|---:|---:|---:|---:|---|---:|\n");
        for (Figure f : figures) {
            Stats.Summary s = f.summary();
            out.append("| ").append(f.benchmark()).append(" | ").append(f.variant()).append(" | ")
                    .append(num(s.median())).append(' ').append(f.unit()).append(" | ")
                    .append(num(s.p10())).append("–").append(num(s.p90())).append(" | ")
                    .append(Double.isNaN(s.mad()) ? "" : num(s.mad())).append(" | ")
                    .append(s.n() == 0 ? "" : Integer.toString(s.n())).append(" | ")
                    .append(f.baseline() == null ? "" : f.baseline()).append(" | ")
                    .append(f.baseline() == null ? "" : String.format(Locale.ROOT, "%.3f (%.3f–%.3f)",
                            f.ratio(), f.ratioInterval().low(), f.ratioInterval().high()))
                    .append(" |\n");
        }
        out.append("\n### Targets (reported, never a build failure)\n\n");
        out.append("| target | measured | verdict |\n|---|---|---|\n");
        for (Target t : targets) {
            out.append("| ").append(t.description()).append(" | ").append(t.measured()).append(" | ").append(t.verdict()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append("\n### Notes\n");
            notes.forEach((benchmark, lines) -> {
                out.append("\n**").append(benchmark).append("**\n\n");
                lines.forEach(line -> out.append("- ").append(line).append('\n'));
            });
        }
        if (!failures.isEmpty()) {
            out.append("\n### FAILED variants (their figures are missing or wrong)\n\n");
            failures.forEach(line -> out.append("- ").append(line).append('\n'));
        }
        out.append("\n### Machine\n\n");
        machine.forEach(line -> out.append("- ").append(line).append('\n'));
        return out.toString();
    }

    /** Three significant digits, at least: readable whether the figure is 0.0042 or 4200. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
