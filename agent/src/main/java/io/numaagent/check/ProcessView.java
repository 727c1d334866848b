package io.numaagent.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Another process, as /proc shows it: enough to find its agent configuration and to compare its
 * threads with the rules.
 *
 * @param cmdline      the arguments, {@code cmdline} split at NUL
 * @param cwd          where {@code cwd} points: relative paths on the command line are relative to it
 * @param environment  {@code environ}; empty when not readable (another user's process)
 * @param tasks        by thread id
 * @param bytesPerNode the process's resident memory per NUMA node, from {@code numa_maps}
 */
public record ProcessView(int pid, List<String> cmdline, Path cwd, Map<String, String> environment,
        List<TaskView> tasks, Map<Integer, Long> bytesPerNode) {

    public ProcessView {
        cmdline = List.copyOf(cmdline);
        environment = Map.copyOf(environment);
        tasks = List.copyOf(tasks);
        bytesPerNode = Map.copyOf(bytesPerNode);
    }
}
