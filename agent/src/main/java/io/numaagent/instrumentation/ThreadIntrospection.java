package io.numaagent.instrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Set;

/**
 * What a started thread was built with, read from {@code java.lang.Thread}'s private state: the
 * {@code Runnable} passed to its constructor (JDK 17: field {@code target}; JDK 21+:
 * {@code holder.task}) and whether it is virtual (JDK 21+).
 *
 * <p>Whether a thread is virtual is read from its class ({@code java.lang.BaseVirtualThread} and its
 * subclasses, the same test the weaver uses), not through {@code Thread::isVirtual}: the agent is
 * compiled for JDK 17, and the method handle that call needed cost premain about 5 ms on JDK 25 to
 * resolve and spin (measured on the build machine).
 *
 * <p>All lookups happen in {@link #open}, at install, and each handle is invoked once there: the
 * first invocation of a method handle spins classes, and nothing may be loaded on the hot path (a
 * hook that loads classes inside a starting thread can deadlock the JVM, as Needle did). Before
 * {@code open}, or when a lookup failed, the accessors answer {@code false}/{@code null}; so does
 * {@link #initialRunnable} when {@code open} was told no rule needs it (opening {@code java.lang}
 * and spinning the getters costs premain about 6 ms, measured on the build machine).
 */
public final class ThreadIntrospection {

    /** (Thread)Object: the constructor's Runnable (JDK 17) or the FieldHolder (JDK 21+). */
    private static volatile MethodHandle targetOrHolder;
    /** (Object)Runnable: FieldHolder.task on JDK 21+, null on JDK 17. */
    private static volatile MethodHandle holderTask;

    private ThreadIntrospection() {
    }

    /**
     * If {@code readRunnables}, opens {@code java.lang} to this class's module and resolves the
     * Runnable getters; otherwise does nothing.
     *
     * @param readRunnables whether a rule matches threads by their Runnable's class
     * @throws IllegalStateException if {@code java.lang} cannot be opened or Thread has neither
     *                               known layout; the installer records it (the accessors then
     *                               answer null/false)
     */
    static void open(Instrumentation inst, boolean readRunnables) {
        try {
            resolve(inst, readRunnables);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read java.lang.Thread's Runnable on Java " + Runtime.version() + ": " + t, t);
        }
    }

    private static void resolve(Instrumentation inst, boolean readRunnables) throws Throwable {
        if (!readRunnables) {
            return;
        }

        Module javaBase = Thread.class.getModule();
        Module self = ThreadIntrospection.class.getModule();
        if (!javaBase.isOpen("java.lang", self)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
        MethodHandle first;
        MethodHandle second = null;
        try {
            first = lookup.findGetter(Thread.class, "target", Runnable.class);
        } catch (NoSuchFieldException jdk21OrLater) {
            Class<?> holderClass = Class.forName("java.lang.Thread$FieldHolder", false, null);
            first = lookup.findGetter(Thread.class, "holder", holderClass);
            second = lookup.findGetter(holderClass, "task", Runnable.class)
                    .asType(MethodType.methodType(Runnable.class, Object.class));
        }
        first = first.asType(MethodType.methodType(Object.class, Thread.class));
        holderTask = second;
        targetOrHolder = first;
        // Spin the handles' classes now, with a thread that has a Runnable and one that has none.
        Runnable probe = () -> { };
        if (initialRunnable(new Thread(probe)) != probe || initialRunnable(new Thread()) != null) {
            targetOrHolder = null;
            holderTask = null;
            throw new IllegalStateException("Thread's Runnable field does not hold the constructor's Runnable on Java "
                    + Runtime.version());
        }
    }

    /** Whether {@code thread} is a virtual thread (JDK 21+); false for null and before JDK 19. */
    public static boolean isVirtual(Thread thread) {
        return thread != null && LazyThreadWeaver.isVirtualThreadClass(thread.getClass());
    }

    /**
     * The {@code Runnable} the thread was constructed with (for a pool thread: the pool's worker),
     * or {@code null} when it has none (a subclass overriding {@code run()}), has finished (the
     * JDK clears it), is virtual, or {@link #open} did not succeed.
     */
    public static Runnable initialRunnable(Thread thread) {
        MethodHandle first = targetOrHolder;
        if (first == null || thread == null) {
            return null;
        }
        try {
            Object value = (Object) first.invokeExact(thread);
            MethodHandle second = holderTask;
            if (second == null) {
                return (Runnable) value;
            }
            return value == null ? null : (Runnable) second.invokeExact(value);
        } catch (Throwable t) {
            return null;
        }
    }
}
