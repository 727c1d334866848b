package io.numaagent.it;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AttachTest's engine: loads the agent into itself through the attach API (as {@code jcmd} or a
 * management tool would into a running engine), then starts a worker that prints the CPUs the kernel
 * lets it run on. Arguments: the agent jar, its configuration file.
 */
public final class AttachSelfMain {

    private AttachSelfMain() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
        try {
            self.loadAgent(args[0], args[1]);
        } finally {
            self.detach();
        }
        Thread worker = new Thread(AttachSelfMain::report, "attached-worker-0");
        worker.start();
        worker.join();
    }

    private static void report() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    System.out.println("worker name=" + Thread.currentThread().getName() + " cpus=" + line.substring(18).trim());
                }
            }
        } catch (Exception e) {
            System.out.println("worker failed " + e);
        }
    }
}
