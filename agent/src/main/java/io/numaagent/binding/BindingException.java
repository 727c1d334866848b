package io.numaagent.binding;

import java.util.Map;

/**
 * A binding the kernel or the environment refused, as one line: what was asked, the errno name
 * when the kernel answered one (EINVAL, EPERM, ...), and what would make it work. Checked, so the
 * caller (the code inside an engine thread) has to decide how to degrade; nothing in this package
 * throws an unchecked exception into an engine thread.
 */
public class BindingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** errno values are the same on every Linux architecture for these (asm-generic/errno-base.h). */
    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"), Map.entry(5, "EIO"),
            Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"),
            Map.entry(18, "EXDEV"), Map.entry(19, "ENODEV"), Map.entry(22, "EINVAL"), Map.entry(28, "ENOSPC"),
            Map.entry(38, "ENOSYS"));

    private final int errno;

    public BindingException(String message) {
        this(message, 0);
    }

    /** For {@link CpuAffinity} and {@link MemoryPolicies} implementations, in this package and in tests' fake kernels. */
    public BindingException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** "CALL failed: EINVAL (22), HINT" */
    static BindingException ofErrno(String call, int errno, String hint) {
        return new BindingException(call + " failed: " + errnoName(errno) + (hint == null || hint.isEmpty() ? "" : ", " + hint), errno);
    }

    /** The errno the kernel answered, or 0 when the refusal did not come from the kernel. */
    public int errno() {
        return errno;
    }

    static String errnoName(int errno) {
        String name = ERRNO_NAMES.get(errno);
        return (name == null ? "errno" : name) + " (" + errno + ")";
    }
}
