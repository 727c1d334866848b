package io.numaagent.bench.child;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about the calling thread: its CPU list ({@code /proc/thread-self/status}) and its
 * memory policy mode ({@code get_mempolicy(2)} through libc's {@code syscall}, because libnuma is often
 * not installed). Used only after the timed part of a child run: it loads JNA, which the timed part of
 * the thread and start-up benchmarks must not.
 */
final class ThreadProbe {

    private static final String[] MPOL_MODES = {
            "default", "preferred", "bind", "interleave", "local", "preferred_many", "weighted_interleave"};
    private static final int MPOL_MODE_FLAGS = (1 << 15) | (1 << 14) | (1 << 13);

    private ThreadProbe() {
    }

    /** One line: {@code PROBE thread=NAME cpus=LIST mempolicy=MODE}. */
    static String describe() {
        return "PROBE thread=" + Thread.currentThread().getName() + " cpus=" + cpusAllowedList()
                + " mempolicy=" + memoryPolicy();
    }

    static String cpusAllowedList() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
            return "?";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String memoryPolicy() {
        long getMempolicy;
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> getMempolicy = 239;
            case "aarch64" -> getMempolicy = 236;
            default -> {
                return "unknown:arch";
            }
        }
        try {
            Function syscall = Function.getFunction(Platform.C_LIBRARY_NAME, "syscall");
            Memory mode = new Memory(4);
            mode.setInt(0, -1);
            Memory nodeMask = new Memory(1024 / 8);
            nodeMask.clear();
            long rc = syscall.invokeLong(new Object[] {getMempolicy, mode, nodeMask, 1024L, null, 0L});
            if (rc < 0) {
                return "unknown:errno" + Native.getLastError();
            }
            int base = mode.getInt(0) & ~MPOL_MODE_FLAGS;
            return base >= 0 && base < MPOL_MODES.length ? MPOL_MODES[base] : "mode" + base;
        } catch (Throwable e) {
            return "unknown:" + e.getClass().getSimpleName();
        }
    }
}
