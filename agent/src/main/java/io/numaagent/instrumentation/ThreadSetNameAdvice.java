package io.numaagent.instrumentation;

import io.numaagent.bootstrap.ThreadStartHook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the normal exit of {@code Thread.setName(String)}: a thread renamed after it started
 * (often by the engine inside its own {@code run()}) may now match a different placement rule.
 * The liveness check lives in the hook, to keep the inlined code minimal.
 */
final class ThreadSetNameAdvice {

    private ThreadSetNameAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
        ThreadStartHook.renamed((Thread) self);
    }
}
