package io.numaagent.binding;

/**
 * The two memory-policy system calls, for the calling thread, with the kernel's argument
 * conventions (node mask as longs, {@code maxnode} = mask bits + 1). The seam where tests put a
 * kernel that answers EPERM or EINVAL; the real ones are {@link JniSyscalls} and {@link JnaLibnuma}. Errors are returned as
 * errno values.
 */
interface NumaCalls {

    /** {@code set_mempolicy(mode, nodemask, maxnode)}: 0, or the errno. {@code nodemask} may be null (maxnode 0). */
    int setMempolicy(int mode, long[] nodemask, long maxnode);

    /** {@code get_mempolicy(&mode, nodemask, maxnode, NULL, 0)}: 0, or the errno. */
    int getMempolicy(int[] mode, long[] nodemask, long maxnode);
}
