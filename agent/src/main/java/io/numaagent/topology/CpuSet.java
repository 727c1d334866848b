package io.numaagent.topology;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU (or NUMA node) ids, as the kernel writes them: a list
 * ({@code 0-3,8,10-11}) or a hexadecimal mask of comma-separated 32-bit words
 * ({@code 00000000,00000f0f}). Ids are unbounded: machines with more than 64 and more than 256
 * CPUs are common, and some kernels number nodes up to 255 with gaps.
 */
public final class CpuSet {

    public static final CpuSet EMPTY = new CpuSet(new BitSet());

    /**
     * The largest id a list may name. Linux builds for at most 8192 CPUs today; the bound keeps a
     * list that a template filled from a thread name ({@code cpus:$1}) from allocating gigabytes.
     */
    public static final int MAX_ID = (1 << 16) - 1;

    private final BitSet bits;
    /** {@link #bits} as 64-bit words, made on first use by the pin path; racy but harmless (always the same content). */
    private long[] words;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    public static CpuSet of(int... ids) {
        BitSet bits = new BitSet();
        for (int id : ids) {
            if (id < 0) {
                throw new IllegalArgumentException("CPU id " + id + " is negative");
            }
            bits.set(id);
        }
        return new CpuSet(bits);
    }

    public static CpuSet range(int fromInclusive, int toInclusive) {
        BitSet bits = new BitSet();
        bits.set(fromInclusive, toInclusive + 1);
        return new CpuSet(bits);
    }

    public static CpuSet fromBitSet(BitSet bits) {
        return new CpuSet((BitSet) bits.clone());
    }

    /**
     * Parses a Linux cpulist such as {@code 0-3,8,10-11} or {@code 0-15:2} (stride). Tolerates
     * surrounding white space, a trailing newline and NUL padding, as sysfs files have.
     *
     * @throws IllegalArgumentException naming the text and the valid form
     */
    public static CpuSet parseList(String text) {
        String s = clean(text);
        BitSet bits = new BitSet();
        if (s.isEmpty()) {
            return new CpuSet(bits);
        }
        for (String part : s.split(",")) {
            String p = part.trim();
            try {
                int stride = 1;
                int colon = p.indexOf(':');
                if (colon >= 0) {
                    stride = Integer.parseInt(p.substring(colon + 1));
                    p = p.substring(0, colon);
                }
                int dash = p.indexOf('-');
                int from;
                int to;
                if (dash >= 0) {
                    from = Integer.parseInt(p.substring(0, dash));
                    to = Integer.parseInt(p.substring(dash + 1));
                } else {
                    from = Integer.parseInt(p);
                    to = from;
                }
                if (from < 0 || to < from || stride < 1 || to > MAX_ID) {
                    throw new NumberFormatException();
                }
                for (int i = from; i <= to; i += stride) {
                    bits.set(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a CPU list: expected ids and ranges such as 0-3,8,10-11");
            }
        }
        return new CpuSet(bits);
    }

    /**
     * Parses a kernel bitmap such as {@code cpumap} or {@code Cpus_allowed}: 32-bit hexadecimal
     * words separated by commas, most significant first.
     */
    public static CpuSet parseMask(String text) {
        String s = clean(text);
        BitSet bits = new BitSet();
        if (s.isEmpty()) {
            return new CpuSet(bits);
        }
        String[] words = s.split(",");
        int bit = 0;
        for (int w = words.length - 1; w >= 0; w--) {
            String word = words[w].trim();
            if (word.startsWith("0x") || word.startsWith("0X")) {
                word = word.substring(2);
            }
            if (word.isEmpty() || word.length() > 8 && words.length > 1) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a CPU mask: expected 32-bit hex words such as 00000000,0000ffff");
            }
            // A single long word (some old kernels) is read digit by digit from the right.
            for (int d = word.length() - 1; d >= 0; d--) {
                int v = Character.digit(word.charAt(d), 16);
                if (v < 0) {
                    throw new IllegalArgumentException("'" + text.trim() + "' is not a CPU mask: expected 32-bit hex words such as 00000000,0000ffff");
                }
                for (int b = 0; b < 4; b++) {
                    if ((v & (1 << b)) != 0) {
                        bits.set(bit + b);
                    }
                }
                bit += 4;
            }
            if (words.length > 1) {
                bit = (words.length - w) * 32;
            }
        }
        return new CpuSet(bits);
    }

    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        int nul = text.indexOf('\0');
        String s = nul >= 0 ? text.substring(0, nul) : text;
        return s.strip();
    }

    public boolean contains(int id) {
        return id >= 0 && bits.get(id);
    }

    public boolean containsAll(CpuSet other) {
        BitSet missing = (BitSet) other.bits.clone();
        missing.andNot(bits);
        return missing.isEmpty();
    }

    public boolean intersects(CpuSet other) {
        return bits.intersects(other.bits);
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public int size() {
        return bits.cardinality();
    }

    /** The lowest id, or -1 for the empty set. */
    public int first() {
        return bits.nextSetBit(0);
    }

    /** The highest id, or -1 for the empty set. */
    public int last() {
        return bits.length() - 1;
    }

    public IntStream stream() {
        return bits.stream();
    }

    /**
     * The ids in increasing order. A loop rather than {@code bits.stream().toArray()}: the topology is
     * read at every start, and a stream pipeline costs a cold JVM dozens of classes.
     */
    public int[] toArray() {
        int[] ids = new int[bits.cardinality()];
        int n = 0;
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            ids[n++] = i;
        }
        return ids;
    }

    public CpuSet union(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.or(other.bits);
        return new CpuSet(b);
    }

    public CpuSet intersect(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.and(other.bits);
        return new CpuSet(b);
    }

    public CpuSet minus(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.andNot(other.bits);
        return new CpuSet(b);
    }

    public CpuSet with(int id) {
        BitSet b = (BitSet) bits.clone();
        b.set(id);
        return new CpuSet(b);
    }

    /**
     * The set as the kernel's CPU mask words: 64 ids per long, id 0 in bit 0 of word 0. {@code long[]}
     * masks are what the native pin path hands to the kernel and reads back.
     */
    public static CpuSet fromWords(long[] mask) {
        return new CpuSet(BitSet.valueOf(mask));
    }

    /** How many 64-bit words the set needs as a mask: 0 for the empty set. */
    public int wordCount() {
        return words().length;
    }

    /** Writes the set into {@code mask} as {@link #fromWords} reads it, zeroing the rest; ids past its end are left out. */
    public void copyWords(long[] mask) {
        long[] w = words();
        int n = Math.min(w.length, mask.length);
        System.arraycopy(w, 0, mask, 0, n);
        Arrays.fill(mask, n, mask.length, 0L);
    }

    /** Whether {@code mask} holds exactly this set: word by word, with every word past the set's last zero. */
    public boolean sameWords(long[] mask) {
        long[] w = words();
        if (mask.length < w.length) {
            return false;
        }
        for (int i = 0; i < w.length; i++) {
            if (mask[i] != w[i]) {
                return false;
            }
        }
        for (int i = w.length; i < mask.length; i++) {
            if (mask[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private long[] words() {
        long[] w = words;
        if (w == null) {
            w = bits.toLongArray();
            words = w;
        }
        return w;
    }

    /**
     * Adds CPU {@code id} to the set {@code sets} holds for {@code key} (an empty one if none): what
     * {@code sets.merge(key, CpuSet.of(id), CpuSet::union)} does, without a lambda, for start-up code.
     */
    static <K> void addTo(Map<K, CpuSet> sets, K key, int id) {
        CpuSet earlier = sets.get(key);
        sets.put(key, earlier == null ? CpuSet.of(id) : earlier.union(CpuSet.of(id)));
    }

    /** A copy; the set itself never changes. */
    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    /** The Linux cpulist form, e.g. {@code 0-3,8}; {@code ""} for the empty set. */
    public String toList() {
        StringBuilder sb = new StringBuilder();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int end = bits.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = bits.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public String toString() {
        return toList();
    }
}
