package io.numaagent.binding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything that applies a binding to a thread: its CPU mask ({@link #cpus()}), its memory
 * policy ({@link #memory()}) and exclusive CPUs ({@link #exclusive()}). One per JVM, created at
 * premain, off the engine's hot path. The native calls go through the agent's own JNI library
 * ({@link JniSyscalls}) where it loads, else through JNA ({@link JnaCpuCalls}, {@link JnaLibnuma}).
 * Whatever is missing (both, libnuma for JNA, a writable lock directory, native access on JDK 24+)
 * turns only that part off, with one warning line.
 *
 * <p>Costs measured here with {@code BindingCostMain} (test sources), 3 fresh JVMs (JDK 17 twice,
 * JDK 25 once), 2 shared vCPUs under load average 4-6, so read them as ±50 %:
 * <ul>
 *   <li>First use: JNA class init with jnidispatch extraction 126-248 ms; JNA's NativeLibrary class
 *       init 35-42 ms, most of it the {@code /sbin/ldconfig -p} process JNA runs on Linux for any
 *       library load (loading libnuma by its soname does not avoid it; only a preset
 *       {@code jna.platform.library.path} would); the rest of {@link #create} (OpenHFT, libnuma,
 *       probes, lock dir) 116-238 ms; first bind 0.5-2.2 ms. Since then the agent presets that path
 *       ({@link JnaPlatformPath}), opens the lock directory only for rules that lease CPUs, and loads
 *       OpenHFT only on a glibc without {@code gettid}: the first matched thread's wait went from about
 *       150 ms to about 90 ms (issue 7, 2-CPU build machine, JDK 17). With the agent's JNI library
 *       (issue 7, fifth session; {@code BindingCostMain}, 5 fresh JVMs on JDK 17, load 1-2) the whole
 *       {@code create} took 39-44 ms in a bare JVM, most of it class loading that the agent has done
 *       already, and JNA's first use after it still 83-94 ms; in the agent the native-init thread now
 *       takes 9-12 ms, and a trivial main that pins one thread ends about 85 ms sooner.</li>
 *   <li>Per call: bind to the same CPU plus read-back 29-61 µs through OpenHFT's
 *       {@code Affinity.setAffinity} (before issue 7); bind that migrates the thread plus read-back 85-136 µs;
 *       read-back alone 0.7-1.2 µs; tid 0.3 µs; memory policy set plus read-back 2.2-4.2 µs, read-back alone
 *       1-5 µs; exclusive acquire plus release of one CPU on tmpfs 63-111 µs. Through the JNI library
 *       against JNA in the same JVM (fifth session): bind to the same CPU plus read-back 3.0 against 3.8 µs,
 *       with a migration 17 against 19 µs, memory policy set plus read-back 3.9 against 4.1 µs.</li>
 *   <li>In a fresh thread, as a pin runs ({@code PinPathCostMain}, test sources, same host, load 3-8): every JNA
 *       call costs 1.5-3 µs there; libc {@code sched_setaffinity} alone 3.3-5.7 µs, plus the read-back 6.8-7.5 µs,
 *       {@code gettid} 2-3 µs; the whole pin by the placer 8-15 µs. Hence the direct libc calls (see
 *       {@link JnaCpuCalls}), one read-back per pin, and no {@code gettid} unless something needs the tid.</li>
 * </ul>
 */
public final class Binding {

    /** The lead's default; on tmpfs, so lock files cost microseconds and vanish at reboot. */
    public static final Path DEFAULT_LOCK_DIR = Path.of("/dev/shm/numa-agent");

    private static final String ADD_FLAG = "add --enable-native-access=ALL-UNNAMED to the java command line";

    private final CpuAffinity cpus;
    private final MemoryPolicies memory;
    private final ExclusiveCpus exclusive;
    private final List<String> warnings;
    private final String nativeCalls;

    private Binding(CpuAffinity cpus, MemoryPolicies memory, ExclusiveCpus exclusive, List<String> warnings, String nativeCalls) {
        this.cpus = cpus;
        this.memory = memory;
        this.exclusive = exclusive;
        this.warnings = List.copyOf(warnings);
        this.nativeCalls = nativeCalls;
    }

    /** Loads the native calls (the agent's JNI library, else JNA), opens the lock directory. Never throws. */
    public static Binding create(Path lockDir) {
        return create(lockDir, true, NativeAccess.ofAgent());
    }

    /**
     * The same, with the native-access answer read earlier by {@link NativeAccess#ofAgent}: the agent
     * reads it at premain, because the JVM enables native access for every unnamed module once any of
     * them (the engine's own JNA, say) has called a restricted method and been warned about it; read
     * after that, the answer would depend on what the engine did first.
     */
    public static Binding create(Path lockDir, Optional<Boolean> nativeAccessAtStart) {
        return create(lockDir, true, nativeAccessAtStart);
    }

    /**
     * The same; with {@code exclusiveCpus} false (no rule asks for {@code cpus = core} or
     * {@code cpus = cpu}) the lock directory is not opened and no CPU is ever leased.
     */
    public static Binding create(Path lockDir, boolean exclusiveCpus, Optional<Boolean> nativeAccessAtStart) {
        List<String> warnings = new ArrayList<>();
        ExclusiveCpus exclusive = exclusive(lockDir, exclusiveCpus, warnings);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String whyNotJni;
        try {
            String library = JniSyscalls.load(tmp);
            return withCalls(JniSyscalls.calls(), JniSyscalls.calls(), "the agent's JNI library " + library,
                    nativeAccessAtStart, exclusive, warnings);
        } catch (UnavailableException e) {
            whyNotJni = e.getMessage();
        }
        return withJna(JnaLibnuma.SONAME, nativeAccessAtStart, exclusive, warnings, whyNotJni);
    }

    /**
     * Through JNA only, as where the agent's JNI library is missing, with the environment as parameters,
     * so tests can run the degraded paths for real: a libnuma name that does not exist, a JDK's
     * native-access answer.
     *
     * @param nativeAccessEnabled {@code Module.isNativeAccessEnabled()} of the agent's module, empty before JDK 22
     */
    static Binding createWithJna(Path lockDir, String libnumaName, Optional<Boolean> nativeAccessEnabled) {
        List<String> warnings = new ArrayList<>();
        ExclusiveCpus exclusive = exclusive(lockDir, true, warnings);
        return withJna(libnumaName, nativeAccessEnabled, exclusive, warnings, null);
    }

    private static ExclusiveCpus exclusive(Path lockDir, boolean exclusiveCpus, List<String> warnings) {
        return exclusiveCpus ? LockFileExclusiveCpus.open(lockDir, warnings::add) : new Unavailable.NoExclusiveCpus();
    }

    private static Binding withCalls(CpuCalls cpuCalls, NumaCalls numaCalls, String nativeCalls, Optional<Boolean> nativeAccessEnabled,
            ExclusiveCpus exclusive, List<String> warnings) {
        CpuAffinity cpus = new KernelCpuAffinity(cpuCalls);
        MemoryPolicies memory = probed(new KernelMemoryPolicies(numaCalls), ", CPU pinning kept", warnings);
        warnIfNativeAccessOff(nativeAccessEnabled, cpus, memory, warnings);
        return new Binding(cpus, memory, exclusive, warnings, nativeCalls);
    }

    /** @param whyNotJni why the agent's JNI library did not load, or null when it was not tried */
    private static Binding withJna(String libnumaName, Optional<Boolean> nativeAccessEnabled, ExclusiveCpus exclusive,
            List<String> warnings, String whyNotJni) {
        boolean nativeAccessOff = nativeAccessEnabled.isPresent() && !nativeAccessEnabled.get();
        String nativeCalls = whyNotJni == null ? "JNA" : "JNA (" + whyNotJni + ")";

        // JNA's native part first: without it neither pinning nor memory policy can work, and
        // one warning says so (not one per part).
        try {
            Class.forName("com.sun.jna.Native", true, Binding.class.getClassLoader());
        } catch (Throwable e) { // UnsatisfiedLinkError, ExceptionInInitializerError, IllegalCallerException
            String unavailable = "JNA native library unavailable (" + JnaCpuCalls.oneLine(rootCause(e)) + ")"
                    + (whyNotJni == null ? "" : "; " + whyNotJni);
            String denied = nativeAccessOff
                    ? "; native access is denied to the agent on JDK " + Runtime.version().feature() + ": " + ADD_FLAG : "";
            warnings.add(unavailable + ": CPU pinning and memory policy off" + denied);
            String why = unavailable + denied;
            return new Binding(new Unavailable.Cpus(why), new Unavailable.Memory(why), exclusive, warnings, "none: " + nativeCalls);
        }

        CpuAffinity cpus;
        try {
            cpus = new KernelCpuAffinity(JnaCpuCalls.load());
        } catch (UnavailableException | RuntimeException | LinkageError e) {
            String why = e.getMessage() + ": CPU pinning off";
            warnings.add(why + (nativeAccessOff ? "; native access is not enabled for the agent: " + ADD_FLAG : ""));
            cpus = new Unavailable.Cpus(why);
        }

        MemoryPolicies memory;
        String keptOrNot = cpus.available() ? ", CPU pinning kept" : "";
        try {
            memory = probed(new KernelMemoryPolicies(JnaLibnuma.load(libnumaName)), keptOrNot, warnings);
        } catch (UnavailableException e) {
            String why = e.getMessage() + ": memory policy off" + keptOrNot;
            warnings.add(why + (e.getMessage().endsWith("not found") ? "; install libnuma1 (Debian/Ubuntu) or numactl-libs (RHEL/Fedora)" : ""));
            memory = new Unavailable.Memory(why);
        } catch (RuntimeException | LinkageError e) {
            String why = libnumaName + " failed (" + JnaCpuCalls.oneLine(e) + "): memory policy off" + keptOrNot;
            warnings.add(why);
            memory = new Unavailable.Memory(why);
        }
        warnIfNativeAccessOff(nativeAccessEnabled, cpus, memory, warnings);
        return new Binding(cpus, memory, exclusive, warnings, nativeCalls);
    }

    /** The memory policies after one probe: ENOSYS without NUMA support, EPERM under seccomp turn them off. */
    private static MemoryPolicies probed(KernelMemoryPolicies policies, String keptOrNot, List<String> warnings) {
        try {
            policies.currentThread();
            return policies;
        } catch (BindingException e) {
            String why = e.getMessage() + ": memory policy off" + keptOrNot;
            warnings.add(why);
            return new Unavailable.Memory(why);
        }
    }

    private static void warnIfNativeAccessOff(Optional<Boolean> nativeAccessEnabled, CpuAffinity cpus, MemoryPolicies memory, List<String> warnings) {
        boolean nativeAccessOff = nativeAccessEnabled.isPresent() && !nativeAccessEnabled.get();
        if (nativeAccessOff && (cpus.available() || memory.available())) {
            warnings.add("native access is not enabled for the agent on JDK " + Runtime.version().feature()
                    + ": the JVM warns about its restricted methods (System.load, JNA's) and --illegal-native-access=deny"
                    + " (a future default) turns pinning off; " + ADD_FLAG);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * This binding with another CPU mask implementation, the rest (memory policy, exclusive CPUs,
     * warnings) kept: the seam where tests of the code that uses a binding put a kernel that
     * answers EINVAL or EPERM, takes a CPU offline, or has more CPUs than this host.
     */
    public Binding withCpus(CpuAffinity replacement) {
        return new Binding(replacement, memory, exclusive, warnings, nativeCalls);
    }

    /**
     * This binding with another memory policy implementation, the rest kept: the seam where tests of
     * the code that uses a binding put a kernel that reports another policy than the one set.
     */
    public Binding withMemory(MemoryPolicies replacement) {
        return new Binding(cpus, replacement, exclusive, warnings, nativeCalls);
    }

    public CpuAffinity cpus() {
        return cpus;
    }

    public MemoryPolicies memory() {
        return memory;
    }

    public ExclusiveCpus exclusive() {
        return exclusive;
    }

    /**
     * Through what the calls go, for the operator's debug line: the agent's JNI library and its path,
     * or JNA and why not the JNI library, or none.
     */
    public String nativeCalls() {
        return nativeCalls;
    }

    /** What is off and why, one line each, ready to log at premain; empty when everything works. */
    public List<String> warnings() {
        return warnings;
    }
}
