package io.numaagent.instrumentation;

import io.numaagent.bootstrap.ThreadStartHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code run()} of {@code java.lang.Thread} and of every subclass that declares it.
 * The code below is copied into the JDK's and the engine's classes, so it may only reference
 * boot-class-path types ({@link ThreadStartHook}). {@code this} is taken as {@code Object} and cast,
 * so that Byte Buddy need not resolve a subclass's superclass chain to prove it is a Thread
 * (a class defined without a class file resource would otherwise fail to instrument).
 */
final class ThreadRunAdvice {

    private ThreadRunAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
        ThreadStartHook.enter((Thread) self);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
        ThreadStartHook.exit((Thread) self);
    }
}
