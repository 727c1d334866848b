package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The registry of exclusive CPUs: a CPU (or a whole core) leased here is held by no other thread
 * of this JVM and by no other process that uses the same lock directory.
 *
 * <p>Why not OpenHFT's {@code AffinityLock}, which offers the same idea (each point measured on
 * 2026.2): its lock files live only in {@code java.io.tmpdir}, with no setting; its lock table is
 * a fixed array of 256 CPUs ({@code ArrayIndexOutOfBoundsException} beyond); it numbers CPUs by
 * their position in {@code /proc/cpuinfo}, which is wrong with offline or non-contiguous ids; it
 * treats CPUs outside the start-up mask as free to reserve, so inside a cgroup cpuset it hands
 * out CPUs the kernel then refuses; and two copies of the library in one JVM (the agent's and an
 * engine's, e.g. Chronicle) break its cross-process locks, because closing any descriptor of a
 * file drops the process's {@code fcntl} locks on it. Its release also works only on the owning
 * thread. This class keeps the same lock-file idea with none of those limits.
 *
 * <p>How: in-process bookkeeping first (this JVM never opens the lock file of a CPU it holds, so
 * it never drops its own {@code fcntl} lock by closing a second descriptor), then
 * {@code <lockDir>/cpu-N.lock} held with {@link FileChannel#tryLock()} for the lease's life. The
 * kernel drops the lock of a process that dies, so a file left by a dead process is free and is
 * reused. On release the file is deleted while still locked, so no lock files remain.
 *
 * <p>The delete/re-create race (B opens cpu-3.lock, A deletes it and unlocks, C creates a new
 * cpu-3.lock and locks it, B's lock on the deleted file now succeeds: two owners) is closed by
 * {@code <lockDir>/registry.lock}, held briefly around every open-and-lock and every
 * delete-and-unlock, so no file can be deleted between another process opening and locking it.
 * The usual check, "after locking, does the path still name the locked inode", cannot be written
 * in Java: no public API gives the inode of an open {@code FileChannel}, and opening the path again
 * to compare would, on close, drop the very {@code fcntl} lock just taken. {@code registry.lock}
 * itself is never deleted (one small file). A process stopped while holding it (SIGSTOP) makes
 * others give up after {@link #REGISTRY_WAIT_MILLIS} ms: acquire returns empty, release unlocks
 * without deleting (a leftover file is harmless; the next holder reuses and deletes it).
 *
 * <p>All processes sharing a lock directory must be able to write its files; a file another user
 * created and left behind cannot be opened for writing, and its CPU counts as taken.
 * Another copy of this agent in the same JVM (two {@code -javaagent}s) would break exclusivity for
 * the same {@code fcntl} reason as above.
 *
 * <p>Measured on this host (tmpfs /dev/shm, 2 shared vCPUs): see {@code Binding}'s class comment.
 */
final class LockFileExclusiveCpus implements ExclusiveCpus {

    static final String REGISTRY_FILE = "registry.lock";
    static final long REGISTRY_WAIT_MILLIS = 200;

    private final Path lockDir;            // null: exclusive within this JVM only
    private final FileChannel registry;    // null with lockDir
    private final String pid = Long.toString(ProcessHandle.current().pid());
    private final Map<Integer, Lease> leasedCpus = new HashMap<>(); // guarded by this

    private LockFileExclusiveCpus(Path lockDir, FileChannel registry) {
        this.lockDir = lockDir;
        this.registry = registry;
    }

    /** Opens (creating) {@code lockDir}; if that fails, one warning and exclusivity within this JVM only. Never throws. */
    static LockFileExclusiveCpus open(Path lockDir, Consumer<String> warn) {
        if (lockDir == null) {
            warn.accept("no lock directory set: exclusive CPUs are exclusive within this JVM only");
            return new LockFileExclusiveCpus(null, null);
        }
        try {
            Files.createDirectories(lockDir);
            FileChannel registry = FileChannel.open(lockDir.resolve(REGISTRY_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            return new LockFileExclusiveCpus(lockDir, registry);
        } catch (IOException | RuntimeException e) {
            warn.accept("lock directory " + lockDir + " is not usable (" + JnaCpuCalls.oneLine(e)
                    + "): exclusive CPUs are exclusive within this JVM only; set a writable lock directory to share them with other processes");
            return new LockFileExclusiveCpus(null, null);
        }
    }

    /** The directory whose lock files this registry uses, or null when it is in-process only. */
    Path lockDir() {
        return lockDir;
    }

    @Override
    public synchronized Optional<CpuLease> acquire(List<CpuSet> candidatesInPreferenceOrder, String owner) {
        if (candidatesInPreferenceOrder == null) {
            return Optional.empty();
        }
        FileLock registryLock = null;
        try {
            for (CpuSet candidate : candidatesInPreferenceOrder) {
                if (candidate == null || candidate.isEmpty() || candidate.stream().anyMatch(leasedCpus::containsKey)) {
                    continue;
                }
                List<HeldCpu> held = new ArrayList<>();
                if (registry != null) {
                    if (registryLock == null) {
                        registryLock = lockRegistry();
                        if (registryLock == null) {
                            return Optional.empty();
                        }
                    }
                    for (int cpu : candidate.toArray()) {
                        HeldCpu h = lockCpu(cpu, owner);
                        if (h == null) {
                            break;
                        }
                        held.add(h);
                    }
                    if (held.size() < candidate.size()) {
                        held.forEach(h -> h.unlock(true));
                        continue;
                    }
                }
                Lease lease = new Lease(candidate, held);
                candidate.stream().forEach(cpu -> leasedCpus.put(cpu, lease));
                return Optional.of(lease);
            }
            return Optional.empty();
        } finally {
            releaseQuietly(registryLock);
        }
    }

    @Override
    public synchronized int leased() {
        return leasedCpus.size();
    }

    private synchronized void release(Lease lease) {
        FileLock registryLock = lease.held.isEmpty() ? null : lockRegistry();
        try {
            // Without the registry lock, deleting could let another process lock a deleted file.
            lease.held.forEach(h -> h.unlock(registryLock != null));
        } finally {
            releaseQuietly(registryLock);
            lease.cpus.stream().forEach(cpu -> leasedCpus.remove(cpu, lease));
        }
    }

    /** Spins on tryLock (a blocking lock could hang on a stopped process); null after the deadline or on I/O error. */
    private FileLock lockRegistry() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRY_WAIT_MILLIS);
        while (true) {
            try {
                FileLock l = registry.tryLock();
                if (l != null) {
                    return l;
                }
            } catch (IOException | OverlappingFileLockException e) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Opens and locks one CPU's file; null when another process holds it or it cannot be opened (another user's file). */
    private HeldCpu lockCpu(int cpu, String owner) {
        Path file = lockDir.resolve("cpu-" + cpu + ".lock");
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return null;
            }
            // Who holds it, for `cat /dev/shm/numa-agent/cpu-3.lock`.
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + pid + " " + owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new HeldCpu(file, ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            return null;
        }
    }

    private static void releaseQuietly(FileLock lock) {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException | RuntimeException ignored) {
                // the channel stays open; the next tryLock will tell
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing releases the lock even when it reports an error
        }
    }

    /** One locked cpu-N.lock. */
    private record HeldCpu(Path file, FileChannel channel) {
        /** Deletes the file while it is still locked (only under the registry lock), then closes, which unlocks. */
        void unlock(boolean delete) {
            if (delete) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // left behind: harmless, the next holder reuses it
                }
            }
            closeQuietly(channel);
        }
    }

    private final class Lease implements CpuLease {
        private final CpuSet cpus;
        private final List<HeldCpu> held;
        private final AtomicBoolean released = new AtomicBoolean();

        Lease(CpuSet cpus, List<HeldCpu> held) {
            this.cpus = cpus;
            this.held = held;
        }

        @Override
        public CpuSet cpus() {
            return cpus;
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                try {
                    LockFileExclusiveCpus.this.release(this);
                } catch (RuntimeException ignored) {
                    // never into the caller's thread
                }
            }
        }

        @Override
        public String toString() {
            return "lease of CPUs " + cpus.toList();
        }
    }
}
