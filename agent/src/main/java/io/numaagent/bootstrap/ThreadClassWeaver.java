package io.numaagent.bootstrap;

/**
 * Weaves the hook into a thread's class the first time a thread of that class is started.
 * Implemented inside the agent class loader; called from {@link ThreadStartHook#starting}, which
 * is called from {@code java.lang.Thread.start()}, so this interface must live on the boot class path.
 */
public interface ThreadClassWeaver {

    /**
     * Runs on the thread calling {@code start()}, before the new thread exists: makes sure the
     * {@code run()} the new thread will execute calls {@link ThreadStartHook#enter}. Must return
     * at once (a field read and a map lookup) for a class it has seen before.
     */
    void beforeStart(Thread thread);
}
