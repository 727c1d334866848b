package io.numaagent.binding;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The memory-policy system calls through the raw wrappers libnuma exports ({@code set_mempolicy},
 * {@code get_mempolicy}; glibc does not export them), bound with JNA direct mapping.
 *
 * <p>Why the raw wrappers and not {@code numa_set_preferred}, {@code numa_set_membind},
 * {@code numa_set_interleave_mask}, {@code numa_set_localalloc} (read in upstream libnuma.c): those
 * return void; a refusal goes to {@code numa_error()}, which {@code perror}s into the engine's
 * stderr and calls {@code exit(1)} when the global {@code numa_exit_on_error} is set, and their
 * bitmask allocation calls {@code exit(1)} on out-of-memory. The raw wrappers are
 * {@code syscall(__NR_...)}: they print nothing, never exit, and give back errno. They also
 * do exactly what the numa_* calls do underneath ({@code setpol(MPOL_BIND, ...)} etc.).
 * {@code numa_set_localalloc} is not even MPOL_LOCAL but MPOL_DEFAULT, and
 * {@code numa_set_bind_policy} is a thread-local flag that only the mbind-based calls
 * ({@code numa_tonode_memory}, {@code numa_alloc_onnode}) read: MPOL_BIND through
 * {@code set_mempolicy} is strict already.
 *
 * <p>Why libnuma at all rather than {@code syscall(SYS_set_mempolicy)} from libc: the syscall numbers
 * differ per architecture (x86-64 238/239, arm64 237/236); libnuma is the portable spelling.
 * It is loaded by its soname {@code libnuma.so.1}, never the development symlink
 * {@code libnuma.so} that only -dev packages install.
 */
final class JnaLibnuma implements NumaCalls {

    static final String SONAME = "libnuma.so.1";

    /** The one registration per JVM; JNA binds native methods of a class to one library only. */
    static final class Lib {
        static native int set_mempolicy(int mode, long[] nodemask, long maxnode);

        static native int get_mempolicy(int[] mode, long[] nodemask, long maxnode, Pointer addr, long flags);
    }

    private static final Object REGISTRATION = new Object();
    private static String registeredName;

    private JnaLibnuma() {
    }

    /**
     * Loads {@code libraryName} (tests pass a missing name to run the no-libnuma path for real).
     *
     * @throws UnavailableException when the library or its symbols cannot be loaded
     */
    static JnaLibnuma load(String libraryName) throws UnavailableException {
        NativeLibrary lib;
        try {
            lib = NativeLibrary.getInstance(libraryName);
        } catch (UnsatisfiedLinkError e) {
            throw new UnavailableException(libraryName + " not found");
        } catch (Throwable e) {
            throw new UnavailableException(libraryName + " could not be loaded (" + JnaCpuCalls.oneLine(e) + ")");
        }
        synchronized (REGISTRATION) {
            if (registeredName == null) {
                try {
                    Native.register(Lib.class, lib);
                } catch (Throwable e) {
                    throw new UnavailableException(libraryName + " lacks set_mempolicy/get_mempolicy (" + JnaCpuCalls.oneLine(e) + ")");
                }
                registeredName = libraryName;
            } else if (!registeredName.equals(libraryName)) {
                throw new UnavailableException(libraryName + " cannot be used: this JVM already bound " + registeredName);
            }
        }
        return new JnaLibnuma();
    }

    @Override
    public int setMempolicy(int mode, long[] nodemask, long maxnode) {
        return Lib.set_mempolicy(mode, nodemask, maxnode) == 0 ? 0 : Native.getLastError();
    }

    @Override
    public int getMempolicy(int[] mode, long[] nodemask, long maxnode) {
        return Lib.get_mempolicy(mode, nodemask, maxnode, null, 0) == 0 ? 0 : Native.getLastError();
    }
}
