package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JNA's platform library path, built without running ldconfig. */
class JnaPlatformPathTest {

    /** A root with an ld.so.conf that includes conf.d/*.conf (see src/test/resources/ldconf). */
    private static final File FIXTURE = new File("src/test/resources/ldconf");

    @Test
    void jnasDirectoriesComeFirstThenLdSoConfsInIncludeOrderOnlyThoseThatExist() {
        assertEquals("/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib:/lib:/usr/local/cuda/lib64:/opt/extra/lib",
                JnaPlatformPath.compute(FIXTURE, "x86_64-linux-gnu", true));
    }

    @Test
    void aMachineWithoutLdSoConfKeepsJnasOwnDirectories() {
        // The fixture's usr/ as a root: it has lib/ and lib/x86_64-linux-gnu/, and no etc/.
        assertEquals("/lib/x86_64-linux-gnu:/lib", JnaPlatformPath.compute(new File(FIXTURE, "usr"), "x86_64-linux-gnu", true));
    }

    @Test
    void multiArchIsJnasNameForThisMachine() {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"), "checked on x86_64 and aarch64: " + arch);
        assertEquals(arch.equals("aarch64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu", JnaPlatformPath.multiArch());
    }

    @Test
    void aPathSetBeforeIsLeftAlone() {
        String before = System.getProperty(JnaPlatformPath.PROPERTY);
        try {
            System.setProperty(JnaPlatformPath.PROPERTY, "/chosen/by/the/engine");
            JnaPlatformPath.presetIfUnset();
            assertEquals("/chosen/by/the/engine", System.getProperty(JnaPlatformPath.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(JnaPlatformPath.PROPERTY);
            } else {
                System.setProperty(JnaPlatformPath.PROPERTY, before);
            }
        }
    }

    /** What JNA would have added from ldconfig is all there: every directory of a library ldconfig caches. */
    @Test
    void coversEveryDirectoryLdconfigListsOnThisMachine() throws IOException, InterruptedException {
        File ldconfig = new File("/sbin/ldconfig");
        assumeTrue(ldconfig.canExecute(), "no /sbin/ldconfig on this machine");
        Process p = new ProcessBuilder(ldconfig.getPath(), "-p").redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        List<String> path = Arrays.asList(JnaPlatformPath.compute(new File("/"), JnaPlatformPath.multiArch(), true).split(":"));
        int libraries = 0;
        for (String line : listing.split("\n")) {
            int arrow = line.indexOf("=> ");
            if (arrow < 0) {
                continue;
            }
            libraries++;
            File dir = new File(line.substring(arrow + 3).trim()).getParentFile();
            assertTrue(path.contains(dir.getPath()) || path.stream().anyMatch(d -> sameDirectory(d, dir)),
                    dir + " (from ldconfig -p) is missing from " + path);
        }
        assertTrue(libraries > 0, listing);
    }

    private static boolean sameDirectory(String a, File b) {
        try {
            return new File(a).getCanonicalPath().equals(b.getCanonicalPath());
        } catch (IOException e) {
            return false;
        }
    }
}
