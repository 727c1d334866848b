package io.numaagent.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points: {@code premain}/{@code agentmain} for {@code -javaagent} and
 * attach, {@code main} for the command line. Each hands over to code in the agent class loader;
 * nothing else of the agent is visible to the engine.
 */
public final class AgentEntry {

    private static final String INSTALLER = "io.numaagent.AgentInstaller";
    private static final String CLI = "io.numaagent.cli.Cli";

    private AgentEntry() {
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
            File jar = agentJar();
            boolean onBootPath = AgentEntry.class.getClassLoader() == null;
            if (!onBootPath) {
                // Boot-Class-Path names "numa-agent.jar"; a renamed jar is added here instead,
                // which costs class data sharing for application classes.
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            }
            ClassLoader loader = agentLoader(jar);
            loader.loadClass(INSTALLER)
                    .getMethod("install", String.class, Instrumentation.class, File.class, boolean.class, boolean.class)
                    .invoke(null, args, inst, jar, attached, onBootPath);
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

    private static ClassLoader agentLoader(File jar) throws Exception {
        return new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
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
