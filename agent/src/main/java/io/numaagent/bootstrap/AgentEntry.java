package io.numaagent.bootstrap;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points: {@code premain}/{@code agentmain} for {@code -javaagent} and
 * attach, {@code main} for the command line. Each hands over to code in the agent class loader;
 * nothing else of the agent is visible to the engine.
 */
public final class AgentEntry {

    private static final String INSTALLER = "io.numaagent.AgentInstaller";
    private static final String CLI = "io.numaagent.cli.Cli";
    private static final String SELF = AgentEntry.class.getName().replace('.', '/') + ".class";
    private static final String JAVAAGENT = "-javaagent:";
    /** The launcher's options whose value is the next argument (so it is not taken for the main class); as in check.AgentLaunch. */
    private static final String[] OPTIONS_WITH_VALUE = {"-cp", "-classpath", "--class-path", "-p", "--module-path",
        "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
        "--patch-module", "--source", "--enable-native-access"};

    /** Set by the class initialisation of the installer that {@link #start} loads (see {@link AgentStarter}). */
    private static volatile AgentStarter starter;

    private AgentEntry() {
    }

    /** Called by the installer's class initialisation, in the agent class loader that {@link #start} made. */
    public static void register(AgentStarter installer) {
        starter = installer;
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    public static void main(String[] args) throws Throwable {
        ClassLoader loader = agentLoader(agentJar());
        try {
            loader.loadClass(CLI).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            boolean onBootPath = AgentEntry.class.getClassLoader() == null;
            File jar = onBootPath ? agentJarOnCommandLine() : null;
            AgentClassLoader loader = jar == null ? null : agentLoader(jar);
            if (loader == null || !loader.holds(SELF)) {
                jar = agentJar();
                if (!onBootPath) {
                    // Boot-Class-Path names "numa-agent.jar"; a renamed jar is added here instead,
                    // which costs class data sharing for application classes.
                    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
                }
                loader = agentLoader(jar);
            }
            // Each start (a second attach, say) makes its own loader, whose installer registers anew.
            starter = null;
            Class<?> installer = Class.forName(INSTALLER, true, loader); // registers its starter
            AgentStarter registered = starter;
            if (registered != null) {
                registered.start(args, inst, jar, attached, onBootPath);
            } else {
                // A renamed jar: this class came from the system class path, and the installer
                // registered with the copy on the boot class path.
                installer.getMethod("install", String.class, Instrumentation.class, File.class, boolean.class, boolean.class)
                        .invoke(null, args, inst, jar, attached, onBootPath);
            }
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (Throwable t) {
            failed(t);
        }
    }

    private static void failed(Throwable t) {
        // The installer reports its own errors and applies strict mode itself; reaching here
        // means the agent could not even load, and the engine must still start.
        System.err.println("numa-agent: ERROR could not start, the engine runs without NUMA placement: " + t);
    }

    private static AgentClassLoader agentLoader(File jar) throws Exception {
        return new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
    }

    /**
     * The one {@code -javaagent:} jar named {@code numa-agent.jar} (the name Boot-Class-Path needs),
     * from the JVM's options: {@code /proc/self/cmdline} up to the main class, and
     * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}; null when there is
     * none, more than one, or an {@code @argfile} that may hold one. Asked of the class path instead
     * ({@link #agentJar}), the jar costs premain about 8 ms on a cold JVM (measured on the build
     * machine): the JDK looks for the resource in every module of the boot and platform loaders
     * first. The caller checks that the jar holds this class, and otherwise asks the class path.
     */
    static File agentJarOnCommandLine() {
        byte[] cmdline;
        try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
            cmdline = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<String> variables = new ArrayList<>();
        for (String name : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            String value = System.getenv(name);
            if (value != null) {
                variables.add(value);
            }
        }
        return agentJarIn(cmdline, variables, new File(System.getProperty("user.dir")));
    }

    /**
     * {@link #agentJarOnCommandLine} on given inputs (public for its tests, which the class loaders
     * keep out of this boot class's package).
     *
     * @param cmdline   {@code /proc/self/cmdline}: the arguments, each ended by a NUL byte
     * @param variables the values of the option variables that are set
     * @param workingDir what a relative jar path is relative to
     */
    public static File agentJarIn(byte[] cmdline, List<String> variables, File workingDir) {
        List<String> options = new ArrayList<>();
        int start = 0;
        boolean first = true;
        boolean valueNext = false;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] != 0) {
                continue;
            }
            String arg = new String(cmdline, start, i - start);
            start = i + 1;
            if (first || valueNext) {
                first = false; // the launcher's own path
                valueNext = false;
                continue;
            }
            if (arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-jar") || arg.equals("-m") || arg.startsWith("--module")) {
                break; // the main class; the program's own arguments follow
            }
            options.add(arg);
            for (String withValue : OPTIONS_WITH_VALUE) {
                valueNext |= arg.equals(withValue);
            }
        }
        for (String value : variables) {
            for (String word : value.trim().split("\\s+")) {
                options.add(word);
            }
        }
        File found = null;
        for (String option : options) {
            if (!option.startsWith(JAVAAGENT)) {
                continue;
            }
            String spec = option.substring(JAVAAGENT.length());
            int eq = spec.indexOf('=');
            File jar = new File(eq < 0 ? spec : spec.substring(0, eq));
            if (!jar.getName().equals("numa-agent.jar")) {
                continue;
            }
            jar = jar.isAbsolute() ? jar : new File(workingDir, jar.getPath());
            if (found != null && !found.equals(jar)) {
                return null;
            }
            found = jar;
        }
        return found != null && found.isFile() ? found : null;
    }

    /**
     * The agent jar: -javaagent jars are on the system class path, and so is a -jar one. The path
     * is cut out of the {@code jar:file:...!/...} URL rather than asked of a JarURLConnection, whose
     * classes are not in the JDK's class data archive and cost premain a few milliseconds.
     */
    static File agentJar() throws Exception {
        URL self = ClassLoader.getSystemClassLoader().getResource(AgentEntry.class.getName().replace('.', '/') + ".class");
        String url = self == null ? "" : self.toString();
        int separator = url.lastIndexOf("!/");
        if (!url.startsWith("jar:file:") || separator < 0) {
            throw new IllegalStateException("numa-agent must run from its jar, found " + self);
        }
        return new File(new URI(url.substring("jar:".length(), separator)));
    }
}
