package io.numaagent.placement;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers the live threads of each rule and device: a starting thread takes the lowest free number,
 * an ending thread gives it back, so a replacement thread gets the place (the fast class, the L3,
 * the node) its predecessor had. Shared by the real run and the {@code plan} dry run, so that both
 * number threads the same way.
 */
public final class SlotAllocator {

    private final Map<String, BitSet> taken = new HashMap<>();

    private static String key(Placement p) {
        return p.match().rule().name() + '\0' + p.match().deviceName();
    }

    /** The lowest free slot number for the placement's rule and device. */
    public synchronized int acquire(Placement placement) {
        BitSet bits = taken.computeIfAbsent(key(placement), k -> new BitSet());
        int slot = bits.nextClearBit(0);
        bits.set(slot);
        return slot;
    }

    public synchronized void release(Placement placement, int slot) {
        BitSet bits = taken.get(key(placement));
        if (bits != null && slot >= 0) {
            bits.clear(slot);
        }
    }
}
