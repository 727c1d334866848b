package io.numaagent.config;

import java.util.Locale;

/** The libnuma memory policy set in a matching thread ({@code rule.NAME.memory}). */
public enum MemoryPolicy {
    /** Allocate on the device's node, fall back to others when it is full (the default). */
    PREFERRED,
    /** Allocate only on the device's node. */
    BIND,
    /** Interleave pages over the nodes of the thread's CPUs. */
    INTERLEAVE,
    /** Allocate on whichever node the thread runs on when it touches the page. */
    LOCAL,
    /** Leave the memory policy alone. */
    NONE;

    /** The word written in the configuration file, e.g. {@code interleave}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
