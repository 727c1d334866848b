package io.numaagent.binding;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.numaagent.topology.CpuSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.openhft.affinity.Affinity;
import net.openhft.affinity.IAffinity;
import net.openhft.affinity.impl.NullAffinity;

/**
 * CPU pinning through OpenHFT Java-Thread-Affinity (the project's chosen library for setting the
 * mask), with the read-back and the thread id taken straight from libc through JNA direct mapping.
 *
 * <p>Why not OpenHFT for the read-back too: {@code Affinity.getAffinity()} does call
 * {@code sched_getaffinity(0, 128, ...)} on the calling thread, but with a fixed 1024-CPU
 * {@code cpu_set_t}, which the kernel refuses with EINVAL on a kernel built for more CPUs, and it
 * turns failures into an {@code IllegalStateException} whose errno is only in the text. The direct
 * call grows its buffer and returns errno. Likewise OpenHFT's {@code setAffinity} copies the BitSet
 * into that fixed 1024-bit {@code cpu_set_t} (an id of 1024 or more throws
 * {@code ArrayIndexOutOfBoundsException}), so a set reaching past CPU 1023 goes to libc directly.
 *
 * <p>Why not {@code AffinityLock}: see {@link LockFileExclusiveCpus}.
 */
final class JnaCpuCalls implements CpuCalls {

    private static final int OPENHFT_CPU_LIMIT = 1024;
    private static final Pattern ERRNO_IN_TEXT = Pattern.compile("errno=(\\d+)");
    private static final int EINVAL = 22;

    /** libc, bound from the symbols already in the process (no library search, no file opened). */
    static final class Libc {
        static native int sched_getaffinity(int pid, long cpusetsize, long[] mask);

        static native int sched_setaffinity(int pid, long cpusetsize, long[] mask);

        static {
            Native.register(Libc.class, NativeLibrary.getProcess());
        }
    }

    /** gettid(2) is exported by glibc 2.30+ only; older glibc: OpenHFT's syscall(SYS_gettid). */
    static final class LibcGettid {
        static native int gettid();

        static {
            Native.register(LibcGettid.class, NativeLibrary.getProcess());
        }
    }

    private final boolean libcGettid;

    private JnaCpuCalls(boolean libcGettid) {
        this.libcGettid = libcGettid;
    }

    /**
     * Loads JNA, libc and OpenHFT's implementation.
     *
     * @throws UnavailableException naming what is missing, when pinning cannot work
     */
    static JnaCpuCalls load() throws UnavailableException {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnavailableException("CPU pinning needs 64-bit Linux, this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        try {
            Libc.sched_getaffinity(0, 0, null); // forces JNA's native part and the registration
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, IllegalCallerException (JDK 24+ deny)
            throw new UnavailableException("JNA native library unavailable (" + oneLine(e) + ")");
        }
        IAffinity impl;
        try {
            impl = Affinity.getAffinityImpl();
        } catch (Throwable e) {
            throw new UnavailableException("OpenHFT affinity failed to initialise (" + oneLine(e) + ")");
        }
        if (impl instanceof NullAffinity) {
            throw new UnavailableException("OpenHFT affinity fell back to NullAffinity (its JNA binding to libc did not load)");
        }
        boolean gettid;
        try {
            gettid = LibcGettid.gettid() > 0;
        } catch (Throwable oldGlibc) {
            gettid = false;
        }
        return new JnaCpuCalls(gettid);
    }

    @Override
    public int setAffinity(CpuSet cpus) {
        if (cpus.last() >= OPENHFT_CPU_LIMIT) {
            long[] mask = new long[(cpus.last() / 64) + 1];
            long[] bits = cpus.toBitSet().toLongArray();
            System.arraycopy(bits, 0, mask, 0, bits.length);
            return Libc.sched_setaffinity(0, mask.length * 8L, mask) == 0 ? 0 : Native.getLastError();
        }
        try {
            Affinity.setAffinity(cpus.toBitSet());
            return 0;
        } catch (IllegalStateException e) {
            return errnoOf(e);
        }
    }

    /** libc directly: OpenHFT binds only the calling thread. */
    @Override
    public int setThreadAffinity(int tid, CpuSet cpus) {
        long[] mask = new long[Math.max(16, cpus.last() / 64 + 1)];
        long[] bits = cpus.toBitSet().toLongArray();
        System.arraycopy(bits, 0, mask, 0, bits.length);
        return Libc.sched_setaffinity(tid, mask.length * 8L, mask) == 0 ? 0 : Native.getLastError();
    }

    @Override
    public int getAffinity(long[] mask) {
        return Libc.sched_getaffinity(0, mask.length * 8L, mask) == 0 ? 0 : Native.getLastError();
    }

    @Override
    public int currentTid() {
        try {
            return libcGettid ? LibcGettid.gettid() : Affinity.getThreadId();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** OpenHFT reports failures as IllegalStateException, the errno in a LastErrorException cause or in its text. */
    static int errnoOf(IllegalStateException e) {
        if (e.getCause() instanceof LastErrorException lee) {
            return lee.getErrorCode();
        }
        Matcher m = ERRNO_IN_TEXT.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : EINVAL;
    }

    static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
