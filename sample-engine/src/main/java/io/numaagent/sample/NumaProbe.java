package io.numaagent.sample;

import java.nio.ByteBuffer;

/** Reads, from inside the calling thread, where a buffer's pages are and what the thread's memory policy is. */
interface NumaProbe {

    PagePlacement pagePlacement(ByteBuffer directBuffer);

    /** The calling thread's memory policy, e.g. {@code default} or {@code preferred:1}; {@code unknown} if unreadable. */
    String memoryPolicy();

    /** A name for the engine's start line, e.g. {@code move_pages(jna 5.14.0)}. */
    String describe();

    /**
     * The probe for the requested source. AUTO prefers the move_pages syscall through the engine's own JNA
     * and falls back to /proc/self/numa_maps when JNA or the syscall is unavailable (saying why on stderr).
     */
    static NumaProbe select(EngineOptions.PageSource source) {
        if (source == EngineOptions.PageSource.NUMA_MAPS) {
            return new NumaMapsProbe();
        }
        try {
            return SyscallNumaProbe.load();
        } catch (LinkageError | RuntimeException e) {
            if (source == EngineOptions.PageSource.MOVE_PAGES) {
                throw new IllegalStateException("move_pages through JNA is not available: " + e, e);
            }
            System.err.println("sample-engine: move_pages through JNA is not available (" + e
                    + "); reading page placement from /proc/self/numa_maps instead");
            return new NumaMapsProbe();
        }
    }
}
