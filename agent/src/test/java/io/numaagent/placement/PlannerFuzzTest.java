package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.config.ConfigLoader;
import io.numaagent.config.LoadedConfig;
import io.numaagent.config.Rule;
import io.numaagent.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random devices and thread names through validate and plan (what runs inside engine threads):
 * neither throws, every failure is one line, and every placement stays within the CPUs the process may use.
 */
class PlannerFuzzTest {

    private static final long SEED = 0x706c616eL; // "plan"
    private static final String[] DEVICES = {"gpu:$1", "node:$1", "cpus:$1", "cpus:$1-$2", "cpus:0-$1", "cpus:$1,$2", "net:eth$1",
            "nvme:nvme$1", "pci:$1:00.0", "accel:$1", "node:0", "cpus:6-9", "cpus:0-7:2", "gpu:0"};

    @TempDir
    Path dir;

    @Test
    void randomTemplatedDevicesNeverThrowAndStayInsideTheAllowedCpus() throws IOException {
        Random random = new Random(SEED);
        Topology topology = PlacementFixtures.machine("sparse-nodes");
        int placed = 0;
        int refused = 0;
        for (int round = 0; round < 300; round++) {
            String device = DEVICES[random.nextInt(DEVICES.length)];
            String cpus = List.of("node", "core", "cpu").get(random.nextInt(3));
            Path file = Files.writeString(dir.resolve("r" + round + ".properties"), "rule.f.thread-name = f-(\\d*)-(\\d*)\n"
                    + "rule.f.device = " + device + "\nrule.f.cpus = " + cpus + "\n", StandardCharsets.UTF_8);
            LoadedConfig loaded = ConfigLoader.load(file.toString(), Map.of());
            if (loaded.config().rules().isEmpty()) {
                continue;
            }
            Rule rule = loaded.config().rules().get(0);
            Planner planner = new Planner(topology);
            planner.validate(rule).forEach(p -> assertFalse(p.toString().contains("\n"), p.toString()));
            RuleMatcher matcher = new RuleMatcher(loaded.config().rules());
            for (int t = 0; t < 20; t++) {
                String name = "f-" + number(random) + "-" + number(random);
                ThreadMatch match = matcher.match(name, Thread.class, null);
                assertNotNull(match, name);
                Planner.Result result = planner.plan(match);
                if (result.placement().isPresent()) {
                    Placement p = result.placement().get();
                    assertTrue(topology.cpus().containsAll(p.nodeCpus()) && !p.nodeCpus().isEmpty(), device + " " + name + ": " + p.nodeCpus());
                    p.exclusiveCandidates().forEach(c -> assertTrue(p.nodeCpus().containsAll(c), c.toString()));
                    placed++;
                } else {
                    assertFalse(result.failure().contains("\n"), result.failure());
                    refused++;
                }
            }
        }
        assertTrue(placed > 200 && refused > 200, "placed " + placed + ", refused " + refused);
    }

    private static String number(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> Integer.toString(random.nextInt(8));
            case 2 -> Integer.toString(random.nextInt(300));
            case 3 -> "99999999999";
            default -> Integer.toString(random.nextInt(3));
        };
    }
}
