package io.numaagent.bench.child;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The baseline of the pin benchmark: {@code sched_setaffinity(0, ...)} on the calling thread through JNA
 * direct mapping, bound to the symbols already in the process: the cheapest way Java code can pin a
 * thread without writing JNI by hand, and the same binding the agent uses for its read-back.
 */
final class RawAffinity {

    static final class Libc {
        static native int sched_setaffinity(int pid, long cpusetsize, long[] mask);

        static {
            Native.register(Libc.class, NativeLibrary.getProcess());
        }
    }

    private RawAffinity() {
    }

    /** Node 0's CPUs that this process may use: the same set a {@code device = node:0, cpus = node} rule pins to. */
    static long[] nodeZeroMask() throws IOException {
        BitSet node = parseList(Files.readString(Path.of("/sys/devices/system/node/node0/cpulist")).trim());
        BitSet allowed = parseList(ThreadProbe.cpusAllowedList());
        node.and(allowed);
        if (node.isEmpty()) {
            throw new IllegalStateException("node 0 has no CPU this process may use");
        }
        long[] words = node.toLongArray();
        long[] mask = new long[Math.max(16, words.length)]; // 1024 CPUs, like glibc's cpu_set_t
        System.arraycopy(words, 0, mask, 0, words.length);
        return mask;
    }

    /** Linux CPU list syntax, e.g. {@code 0-3,8,10-11}. */
    static BitSet parseList(String list) {
        BitSet set = new BitSet();
        if (list.isEmpty()) {
            return set;
        }
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                set.set(Integer.parseInt(part.trim()));
            } else {
                set.set(Integer.parseInt(part.substring(0, dash).trim()), Integer.parseInt(part.substring(dash + 1).trim()) + 1);
            }
        }
        return set;
    }

    /** @return 0, or the errno */
    static int pinCurrentThread(long[] mask) {
        return Libc.sched_setaffinity(0, mask.length * 8L, mask) == 0 ? 0 : Native.getLastError();
    }
}
