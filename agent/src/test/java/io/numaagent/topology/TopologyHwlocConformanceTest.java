package io.numaagent.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every hwloc regression snapshot marked {@code plain} in {@code expected.json}, or whose test options do not affect the
 * fields checked here ({@code view_affected: false}), and checks
 * that CPUs, node ids, node CPUs, near CPUs and PCI locality equal hwloc's.
 */
class TopologyHwlocConformanceTest {

    private static final Map<String, Path> EXTRACTED = new HashMap<>();
    private static Path workDir;

    static Path fixtures() {
        String dir = System.getProperty("numaagent.test.fixtures");
        if (dir == null) {
            fail("system property numaagent.test.fixtures is not set (surefire sets it to ../../shared/topologies)");
        }
        Path p = Path.of(dir);
        if (!Files.isRegularFile(p.resolve("expected.json"))) {
            fail(p.toAbsolutePath() + " has no expected.json; the hwloc fixtures are required, not optional");
        }
        return p;
    }

    static Stream<Arguments> plainSnapshots() throws IOException {
        JsonNode all = new ObjectMapper().readTree(fixtures().resolve("expected.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = all.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("plain").asBoolean(false) || !e.getValue().path("view_affected").asBoolean(true)) {
                cases.add(Arguments.of(e.getKey(), e.getValue()));
            }
        }
        assertTrue(cases.size() >= 20, "expected.json lists too few plain snapshots: " + cases.size());
        return cases.stream();
    }

    /** Each tarball is extracted once (several tests share one) into one folder holding sys/ and proc/. */
    static synchronized Path extract(String source) throws IOException, InterruptedException {
        Path done = EXTRACTED.get(source);
        if (done != null) {
            return done;
        }
        if (workDir == null) {
            workDir = Files.createTempDirectory("hwloc-snapshots");
        }
        Path tarball = fixtures().resolve("hwloc-linux").resolve(source);
        assertTrue(Files.isRegularFile(tarball), tarball + " is missing");
        Path target = Files.createDirectories(workDir.resolve(source.replace(".tar.bz2", "")));
        Process tar = new ProcessBuilder("tar", "-xjf", tarball.toAbsolutePath().toString(), "-C", target.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS), "tar timed out on " + tarball);
        // Some snapshots hold device files tar cannot create as non-root; the sysfs/procfs text is what matters.
        try (Stream<Path> top = Files.list(target)) {
            List<Path> dirs = top.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), tarball + " should hold one top-level folder; tar said: " + output);
            EXTRACTED.put(source, dirs.get(0));
            return dirs.get(0);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (workDir != null) {
            try (Stream<Path> walk = Files.walk(workDir)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainSnapshots")
    void readerAgreesWithHwloc(String test, JsonNode expected) throws Exception {
        Path root = extract(expected.path("source").asText());
        Topology t = TopologyReader.read(root, Map.of());

        assertEquals(expected.path("cpus").asText(), t.cpus().toList(), test + ": usable CPUs; notes: " + t.notes());

        TreeSet<Integer> expectedIds = new TreeSet<>();
        expected.path("nodes").fieldNames().forEachRemaining(id -> expectedIds.add(Integer.parseInt(id)));
        List<Integer> ids = t.nodes().stream().map(NumaNode::id).toList();
        assertEquals(new ArrayList<>(expectedIds), ids, test + ": node ids; notes: " + t.notes());

        for (int id : expectedIds) {
            JsonNode n = expected.path("nodes").path(Integer.toString(id));
            NumaNode node = t.node(id).orElseThrow();
            assertEquals(n.path("cpus").asText(), node.cpus().toList(), test + ": node " + id + " cpus");
            if (n.has("near_cpus")) {
                assertEquals(n.path("near_cpus").asText(), node.nearCpus().toList(), test + ": node " + id + " near_cpus; notes: " + t.notes());
            }
            assertFalse(node.memoryBytes() < 0, test + ": node " + id + " memory");
        }

        Iterator<Map.Entry<String, JsonNode>> devices = expected.path("devices").fields();
        while (devices.hasNext()) {
            Map.Entry<String, JsonNode> e = devices.next();
            PciDevice d = t.devices().stream().filter(x -> x.address().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new AssertionError(test + ": PCI " + e.getKey() + " not found"));
            assertEquals(e.getValue().path("cpus").asText(), d.cpus().toList(), test + ": PCI " + e.getKey() + " cpus");
        }
    }
}
