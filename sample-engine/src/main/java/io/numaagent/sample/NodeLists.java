package io.numaagent.sample;

import java.util.BitSet;
import java.util.StringJoiner;

/**
 * Formats node sets the way the kernel prints lists ({@code 0-3,8}). Hand-written because the engine
 * must know nothing of the agent (whose CpuSet does this) and it is six lines.
 */
final class NodeLists {

    private NodeLists() {
    }

    static String format(BitSet bits) {
        StringJoiner out = new StringJoiner(",");
        for (int start = bits.nextSetBit(0); start >= 0; start = bits.nextSetBit(bits.nextClearBit(start))) {
            int end = bits.nextClearBit(start) - 1;
            out.add(start == end ? Integer.toString(start) : start + "-" + end);
        }
        return out.toString();
    }
}
