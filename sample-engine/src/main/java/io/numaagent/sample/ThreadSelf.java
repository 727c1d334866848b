package io.numaagent.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about the calling thread, read from {@code /proc/thread-self}
 * (plain files, so it works even where JNA cannot load).
 */
final class ThreadSelf {

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private ThreadSelf() {
    }

    /** The kernel thread id: /proc/thread-self is a link to {@code <pid>/task/<tid>}. */
    static long tid() {
        try {
            Path link = Files.readSymbolicLink(THREAD_SELF);
            return Long.parseLong(link.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    /** The thread's affinity mask as the kernel prints it, e.g. {@code 0-1}. */
    static String cpusAllowedList() {
        return statusField("Cpus_allowed_list");
    }

    private static String statusField(String name) {
        try {
            for (String line : Files.readAllLines(THREAD_SELF.resolve("status"))) {
                if (line.startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return "?";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self/status", e);
        }
    }
}
