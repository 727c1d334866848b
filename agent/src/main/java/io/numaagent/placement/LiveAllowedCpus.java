package io.numaagent.placement;

import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The CPUs this process may use <em>now</em>: the cgroup's effective cpuset intersected with the
 * online CPUs, read from the live kernel. The topology is read once at premain and stays the model;
 * this is read only after the kernel refused (EINVAL) or trimmed a binding, which means the machine
 * changed under the process: a CPU went offline, or the container's cpuset shrank.
 *
 * <p>Why not the thread's own mask ({@code sched_getaffinity} or {@code /proc/thread-self/status}):
 * a pinned thread's mask is its pin, not what the process may use; and {@code /proc/self/status}
 * shows the main thread, which {@code process.cpus = union} narrows. The cgroup file is the
 * process's own answer whatever its threads were pinned to.
 *
 * <p>Returns {@link CpuSet#EMPTY} when nothing could be read: the caller then does not retry.
 */
final class LiveAllowedCpus implements Supplier<CpuSet> {

    private final Path root;

    LiveAllowedCpus(Path root) {
        this.root = root;
    }

    /** The live machine's answer, from {@code /}. */
    static LiveAllowedCpus live() {
        return new LiveAllowedCpus(Path.of("/"));
    }

    @Override
    public CpuSet get() {
        CpuSet online = readList(root.resolve("sys/devices/system/cpu/online"));
        CpuSet cpuset = cgroupCpuset();
        if (online == null) {
            return cpuset == null ? CpuSet.EMPTY : cpuset;
        }
        return cpuset == null ? online : online.intersect(cpuset);
    }

    /** cgroup v2 ({@code 0::/path}) or v1 ({@code N:cpuset:/path}) at the usual mount points; null when unknown. */
    private CpuSet cgroupCpuset() {
        String cgroups = readText(root.resolve("proc/self/cgroup"));
        if (cgroups == null) {
            return null;
        }
        for (String line : cgroups.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String path = f[2].trim();
            if (f[0].equals("0") && f[1].isEmpty()) {
                CpuSet cpus = nearestEffective(root.resolve("sys/fs/cgroup"), path, "cpuset.cpus.effective");
                if (cpus != null) {
                    return cpus;
                }
            } else if (java.util.List.of(f[1].split(",")).contains("cpuset")) {
                CpuSet cpus = nearestEffective(root.resolve("sys/fs/cgroup/cpuset"), path, "cpuset.effective_cpus");
                if (cpus != null) {
                    return cpus;
                }
            }
        }
        return null;
    }

    /** The file in the process's cgroup or, where the controller is not enabled there, its nearest ancestor. */
    private static CpuSet nearestEffective(Path mount, String cgroupPath, String file) {
        Path dir = mount.resolve(cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath).normalize();
        while (dir != null && dir.startsWith(mount)) {
            CpuSet cpus = readList(dir.resolve(file));
            if (cpus != null && !cpus.isEmpty()) {
                return cpus;
            }
            dir = dir.getParent();
        }
        return null;
    }

    private static CpuSet readList(Path file) {
        String text = readText(file);
        if (text == null) {
            return null;
        }
        try {
            return CpuSet.parseList(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String readText(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
