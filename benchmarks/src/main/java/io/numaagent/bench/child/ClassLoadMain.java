package io.numaagent.bench.child;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class-loading benchmark's program.
 * <ul>
 * <li>{@code --list OUT}: writes every class of {@code java.base} (from the jrt file system), sorted, one
 *     binary name a line. The harness picks its fixed list from this.</li>
 * <li>{@code LIST}: reads LIST, then times {@code Class.forName(name, false, null)} (load, do not
 *     initialise; java.base is the boot loader's) over all of it, once, and prints
 *     {@code RESULT classes=N failed=F nanos=NS}.</li>
 * <li>{@code --dry LIST}: reads LIST and stops before the timed part; run with {@code -Xlog:class+load}
 *     to learn which classes each variant has already loaded by then (the harness leaves those out).</li>
 * </ul>
 */
public final class ClassLoadMain {

    private ClassLoadMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--list")) {
            writeJavaBaseClasses(Path.of(args[1]));
            return;
        }
        boolean dry = args[0].equals("--dry");
        List<String> names = Files.readAllLines(Path.of(dry ? args[1] : args[0]));
        if (dry) {
            return;
        }
        String[] list = names.toArray(new String[0]);
        int failed = 0;
        long start = System.nanoTime();
        for (String name : list) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                failed++;
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.println("RESULT classes=" + list.length + " failed=" + failed + " nanos=" + nanos);
    }

    private static void writeJavaBaseClasses(Path out) throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Path base = jrt.getPath("/modules/java.base");
        try (Stream<Path> files = Files.walk(base)) {
            List<String> names = files
                    .map(p -> base.relativize(p).toString())
                    .filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class") && !p.endsWith("package-info.class"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .collect(Collectors.toList());
            Files.write(out, names);
        }
    }
}
