package io.numaagent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Thread subclasses that the tests load only after install, each time as new classes: a
 * {@link FreshLoader} defines them again from their class files, so none was seen by the install
 * and each is woven at its first start. Public and self-contained (JDK types and {@link #tick}
 * only): the copies live in another runtime package, where only public members are reachable.
 */
public final class LateThreads {

    static final String PREFIX = LateThreads.class.getName() + "$";

    private LateThreads() {
    }

    /** The listener's sequence, for ordering user code against hook calls. */
    public static long tick() {
        return InstrumentedJvm.LISTENER.tick();
    }

    /** Records when its body's first and last lines ran. */
    public static class OrderThread extends Thread {
        public volatile long firstLine;
        public volatile long lastLine;

        @Override
        public void run() {
            firstLine = tick();
            lastLine = tick();
        }
    }

    /** Declares run() and calls super.run(). */
    public static class SuperCalling extends Thread {
        public volatile boolean ranOwnRun;

        public SuperCalling() {
        }

        public SuperCalling(Runnable body) {
            super(body);
        }

        @Override
        public void run() {
            ranOwnRun = true;
            super.run();
        }
    }

    /** A sub-subclass whose run() calls super.run(), which calls Thread.run(). */
    public static class SuperCallingChild extends SuperCalling {
        public volatile boolean ranChildRun;

        @Override
        public void run() {
            ranChildRun = true;
            super.run();
        }
    }

    /** A sub-subclass that declares no run(): it runs the one it inherits. */
    public static class Inheriting extends SuperCalling {
    }

    /** Runs a body given to it: stands for a thread class of the agent's own loader in one test. */
    public static class BodyThread extends Thread {
        private final Runnable body;

        public BodyThread(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }
    }

    static byte[] classFile(String binaryName) {
        try (InputStream in = LateThreads.class.getResourceAsStream("/" + binaryName.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + binaryName);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Defines the nested classes of {@link LateThreads} anew, from their class files; delegates the rest. */
    static final class FreshLoader extends ClassLoader {
        private final Map<String, Class<?>> defined = new HashMap<>();

        FreshLoader() {
            super(FreshLoader.class.getClassLoader());
        }

        /** e.g. {@code load("OrderThread")}. */
        Class<?> load(String simpleName) {
            try {
                return loadClass(PREFIX + simpleName);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PREFIX)) {
                return super.loadClass(name, resolve);
            }
            Class<?> type = defined.get(name);
            if (type == null) {
                byte[] bytes = classFile(name);
                type = defineClass(name, bytes, 0, bytes.length);
                defined.put(name, type);
            }
            return type;
        }
    }
}
