package io.numaagent.placement;

import io.numaagent.config.AgentConfig;
import io.numaagent.config.ConfigLoader;
import io.numaagent.config.LoadedConfig;
import io.numaagent.topology.Topology;
import io.numaagent.topology.TopologyException;
import io.numaagent.topology.TopologyReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/** Machines from src/test/resources/sysfs and rules from src/test/resources/placement. */
final class PlacementFixtures {

    private PlacementFixtures() {
    }

    static Topology machine(String name) {
        try {
            return TopologyReader.read(resource("/sysfs/" + name), Map.of());
        } catch (TopologyException e) {
            throw new IllegalStateException(e);
        }
    }

    static LoadedConfig load(String rules) {
        return ConfigLoader.load(resource("/placement/" + rules).toString(), Map.of());
    }

    /** A configuration that must have loaded without a problem. */
    static AgentConfig config(String rules) {
        LoadedConfig loaded = load(rules);
        if (!loaded.problems().isEmpty()) {
            throw new IllegalStateException("fixture " + rules + ": " + loaded.problems());
        }
        return loaded.config();
    }

    private static Path resource(String name) {
        URL url = PlacementFixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
