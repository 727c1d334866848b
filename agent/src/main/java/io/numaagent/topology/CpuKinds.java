package io.numaagent.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Ranks the CPUs into classes, fastest first, from what the kernel exposes per CPU: no table of
 * processor models (vLLM's Priority Core Turbo table of three Xeons is what this replaces).
 *
 * <p>How, following hwloc's Linux cpukinds: every source below that does not read the same on every
 * CPU splits the CPUs; the classes are the intersection of those splits. Values of one source
 * within {@link #TOLERANCE_PERCENT} of the highest value of their group count as one, as hwloc
 * merges Turbo Boost Max 3.0 maximum frequencies within 10%: a favoured core that turbos 4% higher
 * is not another kind of core, while a Priority Core Turbo core (about 18% higher
 * {@code highest_perf} on a Xeon 6776P) or a big core (capacity 1024 vs 718) is. Classes are
 * ordered by the sources in this order of authority, each value higher = faster:
 * <ol>
 * <li>{@code cpu_core/cpu_atom}: the Intel hybrid PMUs, core before atom (exact);</li>
 * <li>{@code cpu_capacity}: the scheduler's capacity (Arm big.LITTLE; hwloc's forced efficiency);</li>
 * <li>{@code amd_pstate_prefcore_ranking}, then {@code amd_pstate_highest_perf}: AMD preferred cores;</li>
 * <li>{@code acpi_cppc/highest_perf}: ACPI CPPC, what ITMT and Priority Core Turbo show;</li>
 * <li>{@code base_frequency}: Intel SST-BF high-priority cores;</li>
 * <li>{@code cpuinfo_max_freq}.</li>
 * </ol>
 * hwloc orders its kinds from the most energy-efficient to the most powerful; this is the reverse.
 *
 * <p>A rule with {@code cpus = fast} ranks the CPUs at start-up, so the sources read their value
 * through a switch rather than a lambda each: every lambda costs a cold JVM a generated class.
 */
final class CpuKinds {

    /** Values this close to the top of their group are one value (hwloc's maxfreq adjustment is 10%). */
    static final int TOLERANCE_PERCENT = 10;

    /** One sysfs value; {@code index} selects it in {@link #valueOf}. */
    private record Source(String name, int index, boolean exact) {
        long value(Cpu c) {
            return valueOf(index, c);
        }
    }

    private static final List<Source> SOURCES = List.of(
            new Source("cpu_core/cpu_atom", 0, true),
            new Source("cpu_capacity", 1, false),
            new Source("amd_pstate_prefcore_ranking", 2, false),
            new Source("amd_pstate_highest_perf", 3, false),
            new Source("acpi_cppc/highest_perf", 4, false),
            new Source("base_frequency", 5, false),
            new Source("cpuinfo_max_freq", 6, false));

    private static long valueOf(int source, Cpu c) {
        switch (source) {
            case 0:
                return c.hybridType() == null ? -1 : c.hybridType().equals("core") ? 2 : 1;
            case 1:
                return c.capacity();
            case 2:
                return c.amdPreferredCoreRanking();
            case 3:
                return c.amdHighestPerf();
            case 4:
                return c.acpiHighestPerf();
            case 5:
                return c.baseFrequencyKHz();
            case 6:
                return c.maxFrequencyKHz();
            default:
                throw new AssertionError(source);
        }
    }

    private CpuKinds() {
    }

    /** The classes of these CPUs, fastest first; one class of rank 0 when they all read alike. */
    static List<CpuKind> of(List<Cpu> cpus) {
        if (cpus.isEmpty()) {
            return List.of();
        }
        List<Source> deciding = new ArrayList<>();
        List<Map<Long, Integer>> groupOfValue = new ArrayList<>();
        for (Source s : SOURCES) {
            TreeSet<Long> values = new TreeSet<>();
            for (Cpu c : cpus) {
                values.add(Math.max(-1, s.value(c)));
            }
            if (values.size() > 1) {
                deciding.add(s);
                groupOfValue.add(groups(values.descendingSet(), s.exact));
            }
        }
        // CPUs with the same group in every deciding source form one class.
        Map<List<Integer>, CpuSet> classes = new LinkedHashMap<>();
        Map<List<Integer>, List<Cpu>> members = new LinkedHashMap<>();
        for (Cpu c : cpus) {
            Integer[] key = new Integer[deciding.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = groupOfValue.get(i).get(Math.max(-1, deciding.get(i).value(c)));
            }
            List<Integer> k = Arrays.asList(key);
            CpuSet.addTo(classes, k, c.id());
            List<Cpu> of = members.get(k);
            if (of == null) {
                of = new ArrayList<>();
                members.put(k, of);
            }
            of.add(c);
        }
        List<List<Integer>> keys = new ArrayList<>(classes.keySet());
        keys.sort(KeyOrder.INSTANCE);
        List<CpuKind> kinds = new ArrayList<>();
        for (int r = 0; r < keys.size(); r++) {
            List<Integer> key = keys.get(r);
            if (keys.size() == 1) {
                kinds.add(new CpuKind(0, classes.get(key), CpuKind.UNIFORM, ""));
                break;
            }
            List<Integer> neighbour = keys.get(r + 1 < keys.size() ? r + 1 : r - 1);
            String source = "?";
            for (int i = 0; i < key.size(); i++) {
                if (!key.get(i).equals(neighbour.get(i))) {
                    source = deciding.get(i).name;
                    break;
                }
            }
            kinds.add(new CpuKind(r, classes.get(key), source, describe(deciding, members.get(key))));
        }
        return List.copyOf(kinds);
    }

    /**
     * Value to group number, 0 for the highest values: a group starts at its highest value and takes
     * every lower value within the tolerance of it (not of its neighbour, so that a long run of close
     * values cannot chain everything into one group). A missing value (-1) is a group of its own, last.
     */
    private static Map<Long, Integer> groups(Iterable<Long> descending, boolean exact) {
        Map<Long, Integer> group = new LinkedHashMap<>();
        int g = -1;
        long top = Long.MIN_VALUE;
        for (long v : descending) {
            boolean sameGroup = g >= 0 && v > 0 && (exact ? v == top : v * 100 >= top * (100 - TOLERANCE_PERCENT));
            if (!sameGroup) {
                g++;
                top = v;
            }
            group.put(v, g);
        }
        return group;
    }

    private static final class KeyOrder implements java.util.Comparator<List<Integer>> {
        static final KeyOrder INSTANCE = new KeyOrder();

        @Override
        public int compare(List<Integer> a, List<Integer> b) {
            for (int i = 0; i < a.size(); i++) {
                int c = Integer.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    private static String describe(List<Source> deciding, List<Cpu> cpus) {
        StringJoiner sj = new StringJoiner(", ");
        for (Source s : deciding) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (Cpu c : cpus) {
                long v = s.value(c);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            String shown;
            if (s.exact) {
                shown = max == 2 ? "core" : max == 1 ? "atom" : "none";
            } else if (max < 0) {
                shown = "none";
            } else {
                shown = min == max ? Long.toString(max) : min + "-" + max;
            }
            sj.add(s.name + " " + shown);
        }
        return sj.toString();
    }
}
