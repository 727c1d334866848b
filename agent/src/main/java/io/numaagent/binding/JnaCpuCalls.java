package io.numaagent.binding;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import net.openhft.affinity.Affinity;
import net.openhft.affinity.IAffinity;
import net.openhft.affinity.impl.NullAffinity;

/**
 * CPU pinning straight through libc's {@code sched_setaffinity}/{@code sched_getaffinity}, bound
 * with JNA direct mapping, with a primitive {@code long[]} mask; OpenHFT Java-Thread-Affinity gives the
 * thread id on a glibc without {@code gettid} (before 2.30), and is loaded only there: as a mere
 * load-time probe it cost the first matched thread's wait some 20-30 ms (its classes, its JNA binding,
 * and slf4j-simple's set-up for its logging), measured on the build machine.
 *
 * <p>Why the per-thread call bypasses OpenHFT's {@code Affinity.setAffinity}: cost. It copies the BitSet
 * into a fresh 1024-CPU {@code cpu_set_t} JNA {@code Structure} (16 {@code NativeLong} fields, written
 * through reflection) on every call and turns failures into an {@code IllegalStateException} whose errno
 * is only in its text; measured at 29-61 µs per bind with its read-back against 7-8 µs for the direct calls
 * (see {@link Binding}; issue 7's target is a pin at most twice a raw JNA call). The direct call also takes masks past CPU 1023 and kernels built for
 * more than 1024 CPUs, which OpenHFT's fixed {@code cpu_set_t} refuses.
 *
 * <p>Why not {@code AffinityLock}: see {@link LockFileExclusiveCpus}.
 */
final class JnaCpuCalls implements CpuCalls {

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
     * Loads JNA and libc's calls; OpenHFT's implementation only on a glibc without {@code gettid}
     * (before 2.30), where it gives the thread id.
     *
     * @throws UnavailableException naming what is missing, when pinning cannot work
     */
    static JnaCpuCalls load() throws UnavailableException {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnavailableException("CPU pinning needs 64-bit Linux, this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        JnaPlatformPath.presetIfUnset(); // before NativeLibrary initialises, which would run ldconfig
        try {
            Libc.sched_getaffinity(0, 0, null); // forces JNA's native part and the registration
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, IllegalCallerException (JDK 24+ deny)
            throw new UnavailableException("JNA native library unavailable (" + oneLine(e) + ")");
        }
        boolean gettid;
        try {
            gettid = LibcGettid.gettid() > 0;
        } catch (Throwable oldGlibc) {
            gettid = false;
        }
        if (!gettid) {
            IAffinity impl;
            try {
                impl = Affinity.getAffinityImpl();
            } catch (Throwable e) {
                throw new UnavailableException("OpenHFT affinity failed to initialise (" + oneLine(e) + "), and this glibc has no gettid");
            }
            if (impl instanceof NullAffinity) {
                throw new UnavailableException("OpenHFT affinity fell back to NullAffinity (its JNA binding to libc did not load),"
                        + " and this glibc has no gettid");
            }
        }
        return new JnaCpuCalls(gettid);
    }

    @Override
    public int setAffinity(long[] mask) {
        return Libc.sched_setaffinity(0, mask.length * 8L, mask) == 0 ? 0 : Native.getLastError();
    }

    @Override
    public int setThreadAffinity(int tid, long[] mask) {
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

    static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
