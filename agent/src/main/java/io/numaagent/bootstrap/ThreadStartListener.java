package io.numaagent.bootstrap;

/**
 * What the agent does when an instrumented {@code run()} is entered or left, or a started thread
 * is renamed. Implemented inside the agent class loader; called from advice inlined into
 * {@code java.lang.Thread}, so this interface must live on the boot class path.
 */
public interface ThreadStartListener {

    /** The thread has entered its outermost {@code run()}; no engine code of it has run yet. */
    void threadStarted(Thread thread);

    /** The thread is leaving its outermost {@code run()}, normally or by an exception. */
    void threadEnded(Thread thread);

    /**
     * {@code setName} was called on a thread that is alive. Runs on the renaming thread, which is
     * {@code thread} itself only when it renamed itself ({@code thread == Thread.currentThread()});
     * may come before {@link #threadStarted} when the rename follows {@code start()} at once (that
     * call then already sees the new name); may concern a virtual thread.
     */
    void threadRenamed(Thread thread);
}
