package io.numaagent.it.foreign;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine that ships its own, older copies of every library the agent uses: Byte Buddy 1.14
 * (which makes its worker class at run time), JNA 5.13, SLF4J 1.7 with slf4j-simple, OpenHFT
 * affinity 3.23. Run in a child JVM under the agent by {@code ForeignLibrariesTest}; prints where
 * each library came from and what its worker saw.
 */
public final class ForeignLibrariesEngine {

    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger("foreign-engine");
        System.out.println("versions bytebuddy=" + jarOf(ByteBuddy.class) + " jna=" + jarOf(Native.class)
                + " slf4j=" + jarOf(LoggerFactory.class) + " affinity=" + jarOf(Affinity.class));

        // A Thread subclass that exists only as bytes made by the engine's own Byte Buddy.
        Class<? extends Thread> workerClass = new ByteBuddy()
                .subclass(Thread.class)
                .name("io.numaagent.it.foreign.GeneratedWorker")
                .make()
                // A class loader of its own: Byte Buddy 1.14 cannot inject into an existing loader on JDK 25.
                .load(ForeignLibrariesEngine.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        Runnable work = () -> {
            LibC libc = Native.load("c", LibC.class);
            String cpus = cpusAllowed();
            System.out.println("worker name=" + Thread.currentThread().getName() + " class=" + Thread.currentThread().getClass().getName()
                    + " cpus=" + cpus + " jna-pid=" + libc.getpid() + " openhft-affinity=" + Affinity.getAffinity());
        };
        Thread worker = workerClass.getConstructor(Runnable.class, String.class).newInstance(work, "foreign-worker-1");
        worker.start();
        worker.join();
        log.info("foreign engine done, pid {}", ProcessHandle.current().pid());
    }

    private static String jarOf(Class<?> type) {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).getFileName().toString();
    }

    private static String cpusAllowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            return "unreadable:" + e;
        }
        return "missing";
    }
}
