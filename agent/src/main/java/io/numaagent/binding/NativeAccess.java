package io.numaagent.binding;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Whether the JVM lets the agent call native code: {@code Module.isNativeAccessEnabled()} (JDK 22+)
 * of the agent's module. Apart from {@link Binding} so that premain, which must read it (see
 * {@link Binding#create(java.nio.file.Path, Optional)}), loads no class of the binding itself.
 */
public final class NativeAccess {

    private NativeAccess() {
    }

    /**
     * The answer for the agent's module now; empty before JDK 22. JNA lives in the same unnamed
     * module as the agent (the agent's class loader), so this is the module whose restricted calls
     * ({@code System.load}) the JVM checks.
     */
    public static Optional<Boolean> ofAgent() {
        return enabled(NativeAccess.class.getModule());
    }

    /** {@code module.isNativeAccessEnabled()}, reflectively because the agent is compiled for 17; empty before JDK 22. */
    static Optional<Boolean> enabled(Module module) {
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            return Optional.of((Boolean) m.invoke(module));
        } catch (ReflectiveOperationException | RuntimeException beforeJdk22OrDenied) {
            return Optional.empty();
        }
    }
}
