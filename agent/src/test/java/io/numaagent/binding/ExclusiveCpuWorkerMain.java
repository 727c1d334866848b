package io.numaagent.binding;

import io.numaagent.topology.CpuSet;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Another process using the same lock directory, run by {@link ExclusiveCpusTest}.
 * {@code hold LOCKDIR CPU}: leases the CPU, prints {@code HELD <cpus>} (or {@code NONE}), waits until stdin closes or it is killed.
 * {@code stress LOCKDIR CPU N MARKERDIR}: N times lease, create {@code MARKERDIR/owner} exclusively (a second
 * owner at the same time fails to), delete it, release; prints {@code LEASES n CONFLICTS m}.
 */
public final class ExclusiveCpuWorkerMain {

    public static void main(String[] args) throws IOException {
        ExclusiveCpus exclusive = LockFileExclusiveCpus.open(Path.of(args[1]), w -> System.out.println("warning " + w));
        List<CpuSet> candidates = List.of(CpuSet.of(Integer.parseInt(args[2])));
        if (args[0].equals("hold")) {
            Optional<CpuLease> lease = exclusive.acquire(candidates, "holder");
            System.out.println(lease.map(l -> "HELD " + l.cpus()).orElse("NONE"));
            System.out.flush();
            System.in.read(); // until the parent closes stdin or kills us
            lease.ifPresent(CpuLease::release);
            return;
        }
        int n = Integer.parseInt(args[3]);
        Path marker = Path.of(args[4]).resolve("owner");
        int leases = 0;
        int conflicts = 0;
        for (int i = 0; i < n; i++) {
            Optional<CpuLease> lease = exclusive.acquire(candidates, "stress");
            if (lease.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            leases++;
            try {
                Files.createFile(marker);
                Files.delete(marker);
            } catch (FileAlreadyExistsException e) {
                conflicts++;
            }
            lease.get().release();
        }
        System.out.println("LEASES " + leases + " CONFLICTS " + conflicts);
    }
}
