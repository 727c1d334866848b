package io.numaagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sysfs tree of a machine that is not this one, for the agent's {@code sysfs.root}: copied from the fixture
 * {@code machines/NAME/} on the test class path, then given the symbolic links listed in
 * {@code machines/NAME.links} (resource copying does not keep symlinks, the kernel's layout needs them).
 */
public final class SyntheticMachine {

    private final String name;
    private final Path root;

    private SyntheticMachine(String name, Path root) {
        this.name = name;
        this.root = root;
    }

    /** Lays out machine NAME under {@code parentDir/NAME} and returns it. */
    public static SyntheticMachine create(String name, Path parentDir) {
        Path fixture = resource("machines/" + name);
        Path links = resource("machines/" + name + ".links");
        Path root = parentDir.resolve(name);
        try {
            copyTree(fixture, root);
            createLinks(root, links);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out machine " + name + " under " + root, e);
        }
        return new SyntheticMachine(name, root);
    }

    public String name() {
        return name;
    }

    /** The directory holding {@code sys/}: the value for the agent's {@code sysfs.root}. */
    public Path root() {
        return root;
    }

    public Path sys(String relative) {
        return root.resolve("sys").resolve(relative);
    }

    private static Path resource(String name) {
        URL url = SyntheticMachine.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("fixture " + name + " is not on the test class path"
                    + " (expected under it-tests/src/test/resources/)");
        }
        if (!"file".equals(url.getProtocol())) {
            throw new IllegalStateException("fixture " + name + " must be a directory, not inside " + url);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Lines {@code link -> target}; blank lines and {@code #} comments are skipped. */
    private static void createLinks(Path root, Path linksFile) throws IOException {
        List<String> lines = Files.readAllLines(linksFile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+->\\s+");
            if (parts.length != 2) {
                throw new IllegalStateException(linksFile + ":" + (i + 1) + ": '" + line
                        + "' is not valid: expected '<link> -> <target>'");
            }
            Path link = root.resolve(parts[0]);
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(parts[1]));
            if (!Files.exists(link)) {
                throw new IllegalStateException(linksFile + ":" + (i + 1) + ": link " + parts[0]
                        + " -> " + parts[1] + " points at nothing in the fixture");
            }
        }
    }
}
