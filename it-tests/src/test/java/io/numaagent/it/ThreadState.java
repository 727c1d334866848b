package io.numaagent.it;

import java.util.List;

/**
 * One thread of a live process as the kernel reports it in /proc/&lt;pid&gt;/task/&lt;tid&gt;/.
 *
 * @param comm             the kernel's thread name: the Java name cut to {@link #COMM_MAX} bytes
 *                         (the JVM's main thread keeps the launcher's name, "java")
 * @param cpusAllowedList  Cpus_allowed_list, the affinity mask, e.g. {@code 0-1}
 * @param memsAllowedList  Mems_allowed_list, the cpuset's memory nodes (not the memory policy)
 */
public record ThreadState(long tid, String comm, String cpusAllowedList, String memsAllowedList) {

    /** TASK_COMM_LEN is 16 bytes including the terminating NUL. */
    public static final int COMM_MAX = 15;

    public List<Integer> cpus() {
        return CpuList.parse(cpusAllowedList);
    }

    /** Whether this thread's comm is what the kernel keeps of a Java thread name. */
    public boolean hasJavaName(String javaName) {
        return comm.equals(commOf(javaName));
    }

    public static String commOf(String javaName) {
        return javaName.length() <= COMM_MAX ? javaName : javaName.substring(0, COMM_MAX);
    }
}
