package io.numaagent.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hwloc snapshots that carry CPU kinds: the classes found here are hwloc's, and a kind hwloc
 * ranks more powerful (higher efficiency) is never ranked slower here (hwloc lists kinds from the
 * most energy-efficient up; this ranks from the fastest down). Kinds hwloc gives equal efficiency
 * may come in either order.
 */
class CpuKindsHwlocConformanceTest {

    /** {@code <cpukind cpuset="0x..." forced_efficiency="N">} in hwloc's XML export. */
    private static final Pattern XML_KIND = Pattern.compile("<cpukind cpuset=\"([^\"]+)\"(?: forced_efficiency=\"(\\d+)\")?");
    /** {@code CPU kind #0 efficiency 0 cpuset 0x000ff000} in lstopo's console output. */
    private static final Pattern CONSOLE_KIND = Pattern.compile("CPU kind #\\d+ efficiency (-?\\d+) cpuset (\\S+)");

    private record HwlocKind(CpuSet cpus, int efficiency) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvidia-dgx-gb10", "20em64t-hybrid-1p6c2t+2ca4co1t", "fakeheterocpunuma"})
    void kindsAgreeWithHwloc(String snapshot) throws Exception {
        List<HwlocKind> expected = hwlocKinds(snapshot);
        assertFalse(expected.isEmpty(), snapshot + ": no CPU kind in hwloc's output");
        Topology t = TopologyReader.read(TopologyHwlocConformanceTest.extract(snapshot + ".tar.bz2"), Map.of());
        List<CpuKind> kinds = t.cpuKinds();

        Set<CpuSet> expectedSets = new HashSet<>();
        expected.forEach(k -> expectedSets.add(k.cpus()));
        Set<CpuSet> found = new HashSet<>();
        kinds.forEach(k -> found.add(k.cpus()));
        assertEquals(expectedSets, found, snapshot + ": kinds " + kinds);

        Map<CpuSet, Integer> rank = new HashMap<>();
        kinds.forEach(k -> rank.put(k.cpus(), k.rank()));
        for (HwlocKind a : expected) {
            for (HwlocKind b : expected) {
                if (a.efficiency() > b.efficiency()) {
                    assertTrue(rank.get(a.cpus()) < rank.get(b.cpus()), snapshot + ": hwloc ranks " + a + " above " + b
                            + " but the ranks are " + kinds);
                }
            }
        }
    }

    private static List<HwlocKind> hwlocKinds(String snapshot) throws Exception {
        Path dir = TopologyHwlocConformanceTest.fixtures().resolve("hwloc-linux");
        List<HwlocKind> kinds = new ArrayList<>();
        Path xml = dir.resolve(snapshot + ".xml");
        Path console = dir.resolve(snapshot + ".console");
        if (Files.isRegularFile(xml)) {
            Matcher m = XML_KIND.matcher(Files.readString(xml));
            while (m.find()) {
                kinds.add(new HwlocKind(hwlocBitmap(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2))));
            }
        } else {
            Matcher m = CONSOLE_KIND.matcher(Files.readString(console));
            while (m.find()) {
                kinds.add(new HwlocKind(hwlocBitmap(m.group(2)), Integer.parseInt(m.group(1))));
            }
        }
        return kinds;
    }

    /** hwloc prints bitmaps as comma-separated 32-bit words, each with 0x: {@code 0x00000001,0xffffffff}. */
    private static CpuSet hwlocBitmap(String text) {
        return CpuSet.parseMask(text.replace("0x", ""));
    }
}
