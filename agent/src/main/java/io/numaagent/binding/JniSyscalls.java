package io.numaagent.binding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * {@link CpuCalls} and {@link NumaCalls} through the agent's own JNI library
 * ({@code agent/src/main/c/numa_agent_jni.c}, built for the architecture of the build machine):
 * glibc's {@code sched_setaffinity}/{@code sched_getaffinity}, and the raw {@code gettid},
 * {@code set_mempolicy} and {@code get_mempolicy} system calls, which are what libnuma's wrappers of
 * the same names are.
 *
 * <p>Why hand-written code rather than JNA, the library the agent otherwise uses: JNA's first use costs a
 * cold JVM some 80 ms (its logging set-up, its native part copied out through a {@code SecureRandom}
 * temp name, and the reflective type tables of direct mapping), and the first thread a rule matches
 * waits for it. This library loads in about a millisecond, and each call skips JNA's argument
 * conversion. Where it cannot load (an architecture it was not built for, a {@code noexec} temp
 * directory, a second agent loader in one JVM), {@link Binding} falls back to JNA.
 */
final class JniSyscalls implements CpuCalls, NumaCalls {

    /** Must equal ABI_VERSION in the C source: a stale library copy with other methods is refused. */
    static final int ABI_VERSION = 1;
    static final String LIBRARY_NAME = "libnumaagent-jni";

    private static final JniSyscalls INSTANCE = new JniSyscalls();
    /** The file this class's natives were bound from: a JVM loads a library into one class loader once. */
    private static String loadedFrom;

    private JniSyscalls() {
    }

    /** The resource holding this architecture's library, next to this class; the build names it after {@code os.arch}. */
    static String resourceName() {
        return "linux-" + System.getProperty("os.arch") + "/" + LIBRARY_NAME + ".so";
    }

    /**
     * Copies the library into this user's private directory under {@code tmp} (see
     * {@link PrivateLibraryCopy}) and loads it.
     *
     * @return what was loaded, for the operator: the library's path (the first one, when called again)
     * @throws UnavailableException saying why not, for the fallback's debug line
     */
    static synchronized String load(Path tmp) throws UnavailableException {
        if (loadedFrom != null) {
            return loadedFrom;
        }
        if (!"Linux".equals(System.getProperty("os.name"))) {
            throw new UnavailableException("the agent's JNI library is built for Linux only, this is " + System.getProperty("os.name"));
        }
        byte[] library;
        try (InputStream in = JniSyscalls.class.getResourceAsStream(resourceName())) {
            if (in == null) {
                throw new UnavailableException("the agent jar has no JNI library for " + System.getProperty("os.arch"));
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            throw new UnavailableException("the agent's JNI library could not be read from its jar (" + JnaCpuCalls.oneLine(e) + ")");
        }
        Path file;
        try {
            file = PrivateLibraryCopy.install(library, LIBRARY_NAME, tmp);
        } catch (IOException | RuntimeException e) {
            throw new UnavailableException("the agent's JNI library could not be copied under " + tmp + " (" + JnaCpuCalls.oneLine(e) + ")");
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError | RuntimeException e) { // noexec mount, another loader has it, IllegalCallerException (JDK 24+ deny)
            throw new UnavailableException(file + " did not load (" + JnaCpuCalls.oneLine(e) + ")");
        }
        int abi;
        try {
            abi = abiVersion();
        } catch (UnsatisfiedLinkError e) {
            throw new UnavailableException(file + " is not the agent's JNI library (" + JnaCpuCalls.oneLine(e) + ")");
        }
        if (abi != ABI_VERSION) {
            throw new UnavailableException(file + " has ABI version " + abi + ", this agent needs " + ABI_VERSION);
        }
        loadedFrom = file.toString();
        return loadedFrom;
    }

    /** The calls, once {@link #load} has succeeded. */
    static JniSyscalls calls() {
        return INSTANCE;
    }

    private static native int abiVersion();

    private static native int schedSetaffinity(int tid, long[] mask);

    private static native int schedGetaffinity(long[] mask);

    private static native int gettid();

    private static native int setMempolicySyscall(int mode, long[] nodemask, long maxnode);

    private static native int getMempolicySyscall(int[] mode, long[] nodemask, long maxnode);

    @Override
    public int setAffinity(long[] mask) {
        return schedSetaffinity(0, mask);
    }

    @Override
    public int setThreadAffinity(int tid, long[] mask) {
        return schedSetaffinity(tid, mask);
    }

    @Override
    public int getAffinity(long[] mask) {
        return schedGetaffinity(mask);
    }

    @Override
    public int currentTid() {
        int tid = gettid();
        return tid > 0 ? tid : -1;
    }

    @Override
    public int setMempolicy(int mode, long[] nodemask, long maxnode) {
        return setMempolicySyscall(mode, nodemask, maxnode);
    }

    @Override
    public int getMempolicy(int[] mode, long[] nodemask, long maxnode) {
        return getMempolicySyscall(mode, nodemask, maxnode);
    }
}
