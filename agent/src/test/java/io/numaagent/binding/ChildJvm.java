package io.numaagent.binding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a main class of the test class path in a fresh JVM: the only way to run "JNA missing" or another JDK for real. */
final class ChildJvm {

    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private ChildJvm() {
    }

    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    static ProcessBuilder builder(Path java, List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Runs to completion; stdout lines, failing with stderr when the exit code is not 0. */
    static List<String> run(Path java, List<String> jvmArgs, Class<?> main, String... args) throws IOException, InterruptedException {
        Path err = Files.createTempFile("child-jvm", ".err");
        try {
            Process p = builder(java, jvmArgs, main, args).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM " + main.getSimpleName() + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("child JVM " + main.getSimpleName() + " exited " + p.exitValue() + ":\n" + out + "\n" + Files.readString(err));
            }
            return out.lines().toList();
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
