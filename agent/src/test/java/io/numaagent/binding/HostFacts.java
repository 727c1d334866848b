package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this host allows the test process, read from /proc/self/status, so no test hard-codes CPU or node ids. */
final class HostFacts {

    private HostFacts() {
    }

    static CpuSet allowedCpus() {
        return field("Cpus_allowed_list:");
    }

    static CpuSet allowedNodes() {
        return field("Mems_allowed_list:");
    }

    /** The lowest CPU id (below 1024) the process may not use. */
    static int firstDisallowedCpu() {
        CpuSet allowed = allowedCpus();
        for (int i = 0; i < 1024; i++) {
            if (!allowed.contains(i)) {
                return i;
            }
        }
        throw new IllegalStateException("all of CPUs 0-1023 are allowed");
    }

    private static CpuSet field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return CpuSet.parseList(line.substring(name.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(name + " missing in /proc/self/status");
    }
}
