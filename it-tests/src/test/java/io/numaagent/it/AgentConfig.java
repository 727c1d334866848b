package io.numaagent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent configuration file for one test: a fixture from {@code configs/} on the test class path, plus the
 * lines only a running test knows (where its synthetic machine and lock directory are).
 */
public final class AgentConfig {

    private final List<String> lines = new ArrayList<>();

    private AgentConfig(String text) {
        lines.addAll(text.lines().toList());
    }

    public static AgentConfig fromResource(String name) {
        try (InputStream in = AgentConfig.class.getClassLoader().getResourceAsStream("configs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("config fixture configs/" + name + " is not on the test class path");
            }
            return new AgentConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code key = value}. */
    public AgentConfig with(String key, Object value) {
        lines.add(key + " = " + value);
        return this;
    }

    /** Points the agent at the synthetic machine and a lock directory private to the test. */
    public AgentConfig on(SyntheticMachine machine, Path lockDir) {
        return with("sysfs.root", machine.root()).with("lock.dir", lockDir);
    }

    public Path writeTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
