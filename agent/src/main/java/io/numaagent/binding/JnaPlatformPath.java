package io.numaagent.binding;

import com.sun.jna.Platform;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sets JNA's {@code jna.platform.library.path} before JNA first needs it, unless something set it
 * already. Left unset, JNA computes it when its {@code NativeLibrary} class initialises, by running
 * {@code /sbin/ldconfig -p} in a child process and keeping the directories of the libraries it lists,
 * then sets the property itself for the rest of the JVM. The child process cost the first thread a
 * rule matches about 45 ms of its wait (measured on the build machine: process start, the JDK's
 * process classes, and a reaper thread), every JVM.
 *
 * <p>Here the same list is built as JNA builds it, without the process: JNA's own directories
 * ({@code /usr/lib/<multiarch>}, {@code /lib/<multiarch>}, {@code /usr/lib64}, {@code /lib64},
 * {@code /usr/lib}, {@code /lib}), then the directories of {@code /etc/ld.so.conf} and the files it
 * includes, which are the directories {@code ldconfig} caches; only those that exist are kept, as JNA
 * does. The path only serves JNA's search for a library by name when {@code dlopen} does not find it
 * (an unversioned name without its {@code .so} link, say); the agent loads libc from the process and
 * libnuma by its soname, so neither depends on it. Hand-written because JNA offers the list only
 * through the property.
 */
final class JnaPlatformPath {

    static final String PROPERTY = "jna.platform.library.path";

    private JnaPlatformPath() {
    }

    /** Sets the property on 64-bit Linux when it is unset; never throws. */
    static void presetIfUnset() {
        try {
            if (System.getProperty(PROPERTY) == null && Platform.isLinux()) {
                String path = compute(new File("/"), multiArch(), Platform.is64Bit());
                if (!path.isEmpty()) {
                    System.setProperty(PROPERTY, path);
                }
            }
        } catch (RuntimeException e) {
            // JNA computes it as usual
        }
    }

    /** JNA's multiarch directory name: {@code x86_64-linux-gnu}, {@code aarch64-linux-gnu}, ... */
    static String multiArch() {
        String cpu = Platform.ARCH;
        String libc = "-gnu";
        if (Platform.isIntel()) {
            cpu = Platform.is64Bit() ? "x86_64" : "i386";
        } else if (Platform.isPPC()) {
            cpu = Platform.is64Bit() ? "powerpc64" : "powerpc";
        } else if (Platform.isARM()) {
            cpu = "arm";
            libc = "-gnueabi";
        } else if (Platform.ARCH.equals("mips64el")) {
            libc = "-gnuabi64";
        }
        return cpu + "-linux" + libc;
    }

    /**
     * The path for the file system under {@code root} ({@code /} for this machine): JNA's directories,
     * then {@code etc/ld.so.conf}'s, each once, those that are directories, joined with {@code :}.
     */
    static String compute(File root, String multiArch, boolean is64Bit) {
        String archSuffix = is64Bit ? "64" : "32";
        List<String> dirs = new ArrayList<>(Arrays.asList("/usr/lib/" + multiArch, "/lib/" + multiArch,
                "/usr/lib" + archSuffix, "/lib" + archSuffix, "/usr/lib", "/lib"));
        readConf(root, "/etc/ld.so.conf", dirs, 0);
        StringBuilder path = new StringBuilder();
        List<String> kept = new ArrayList<>();
        for (String dir : dirs) {
            if (!kept.contains(dir) && new File(root, dir).isDirectory()) {
                kept.add(dir);
                path.append(path.length() == 0 ? "" : File.pathSeparator).append(dir);
            }
        }
        return path.toString();
    }

    /** ld.so.conf's syntax: a directory per line, {@code include GLOB}, {@code hwcap ...}, {@code #} comments. */
    private static void readConf(File root, String file, List<String> dirs, int depth) {
        if (depth > 8) {
            return; // an include cycle
        }
        String text;
        try (FileInputStream in = new FileInputStream(new File(root, file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).trim();
            if (line.isEmpty() || line.startsWith("hwcap")) {
                continue;
            }
            if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7))) {
                for (String pattern : line.substring(8).trim().split("\\s+")) {
                    String absolute = pattern.startsWith("/") ? pattern : "/etc/" + pattern;
                    for (String included : glob(root, absolute)) {
                        readConf(root, included, dirs, depth + 1);
                    }
                }
            } else {
                for (String dir : line.split("[:,\\s]+")) {
                    if (dir.startsWith("/")) {
                        dirs.add(dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir);
                    }
                }
            }
        }
    }

    /** Files matching {@code pattern}, whose wildcards ({@code *}, {@code ?}) are in its last part only, in name order. */
    private static List<String> glob(File root, String pattern) {
        int slash = pattern.lastIndexOf('/');
        String dir = pattern.substring(0, slash);
        String name = pattern.substring(slash + 1);
        List<String> found = new ArrayList<>();
        if (name.indexOf('*') < 0 && name.indexOf('?') < 0) {
            found.add(pattern);
            return found;
        }
        String[] entries = new File(root, dir).list();
        if (entries == null) {
            return found;
        }
        Arrays.sort(entries);
        for (String entry : entries) {
            if (matches(name, 0, entry, 0)) {
                found.add(dir + "/" + entry);
            }
        }
        return found;
    }

    private static boolean matches(String glob, int g, String name, int n) {
        if (g == glob.length()) {
            return n == name.length();
        }
        char c = glob.charAt(g);
        if (c == '*') {
            for (int i = n; i <= name.length(); i++) {
                if (matches(glob, g + 1, name, i)) {
                    return true;
                }
            }
            return false;
        }
        return n < name.length() && (c == '?' || c == name.charAt(n)) && matches(glob, g + 1, name, n + 1);
    }
}
