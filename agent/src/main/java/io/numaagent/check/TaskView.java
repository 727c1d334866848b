package io.numaagent.check;

import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One thread of another process, as /proc shows it.
 *
 * @param comm   the kernel's copy of the thread's name: at most {@value #COMM_MAX_BYTES} bytes, so a
 *               longer Java thread name arrives cut
 * @param cpus   {@code Cpus_allowed_list} of {@code task/TID/status}
 * @param policy the thread's memory policy, from {@code task/TID/numa_maps}; empty when unreadable
 */
public record TaskView(int tid, String comm, CpuSet cpus, Optional<MemoryPolicyState> policy) {

    /** TASK_COMM_LEN is 16 bytes with the terminating NUL. */
    public static final int COMM_MAX_BYTES = 15;

    /** Whether the name may have been cut: it fills comm to the last byte. */
    public boolean possiblyTruncated() {
        return comm.getBytes(StandardCharsets.UTF_8).length >= COMM_MAX_BYTES;
    }
}
