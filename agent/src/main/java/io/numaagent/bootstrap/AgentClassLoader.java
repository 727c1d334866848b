package io.numaagent.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own code and libraries (Byte Buddy, JNA, OpenHFT, SLF4J) from {@code inst/}
 * in the agent jar, where classes are stored as {@code .classdata}. No class loader of the engine
 * can see them, so an engine that ships other versions of these libraries is unaffected (the
 * layout of OpenTelemetry's Java agent). The parent is the platform loader: the agent sees the JDK
 * and the {@code io.numaagent.bootstrap} package, nothing of the application.
 */
public final class AgentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";
    private static final String BOOTSTRAP_PACKAGE = "io.numaagent.bootstrap.";

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    public AgentClassLoader(File agentJar, ClassLoader parent) throws IOException {
        super("numa-agent", parent);
        this.jar = new JarFile(agentJar, false);
        this.jarUrl = agentJar.toURI().toURL().toString();
        this.domain = new ProtectionDomain(new CodeSource(agentJar.toURI().toURL(), (Certificate[]) null), null, this, null);
    }

    /** Whether the jar holds the entry {@code name} as it is (e.g. a bootstrap class). */
    public boolean holds(String name) {
        return jar.getEntry(name) != null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(BOOTSTRAP_PACKAGE)) {
            // The boot copy when the jar is on the boot class path (agent mode); the copy of
            // the loader that started us otherwise (command-line mode).
            try {
                return super.loadClass(name, resolve);
            } catch (ClassNotFoundException notOnBootPath) {
                return Class.forName(name, resolve, AgentClassLoader.class.getClassLoader());
            }
        }
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = PREFIX + name.replace('.', '/') + ".classdata";
        JarEntry entry = jar.getJarEntry(path);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException definedConcurrently) {
                    // another thread defined it first
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        String path = entryName(name);
        return jar.getJarEntry(path) == null ? null : url(path);
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        List<URL> urls = new ArrayList<>(1);
        if (url != null) {
            urls.add(url);
        }
        return Collections.enumeration(urls);
    }

    /**
     * The agent's own resources straight from the jar, then the parent's. The default asks the
     * parents first, which searches every JDK module and the boot class path, then opens a
     * {@code jar:} URL connection, whose classes (a dozen, none in the JDK's class data archive) cost
     * a cold JVM milliseconds; premain reads a class file of its own this way (the weaver's warm-up),
     * and JNA its native library. No resource of the agent's has the name of one of the JDK's.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = jar.getJarEntry(entryName(name));
        if (entry != null) {
            try {
                return jar.getInputStream(entry);
            } catch (IOException e) {
                return null;
            }
        }
        return getParent() == null ? null : getParent().getResourceAsStream(name);
    }

    /** Byte Buddy and JNA read {@code X.class} as a resource; it is stored as {@code X.classdata}. */
    private static String entryName(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        if (name.endsWith(".class")) {
            name = name.substring(0, name.length() - ".class".length()) + ".classdata";
        }
        return PREFIX + name;
    }

    private URL url(String path) {
        try {
            return new URL("jar:" + jarUrl + "!/" + path);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
