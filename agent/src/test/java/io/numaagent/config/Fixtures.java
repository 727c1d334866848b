package io.numaagent.config;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/** The configuration files under src/test/resources/config, one per case. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/config/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture config/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LoadedConfig load(String name) {
        return ConfigLoader.load(path(name).toString(), Map.of());
    }

    static LoadedConfig load(String name, Map<String, String> systemProperties) {
        return ConfigLoader.load(path(name).toString(), systemProperties);
    }
}
