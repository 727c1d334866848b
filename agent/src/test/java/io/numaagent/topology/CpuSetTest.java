package io.numaagent.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void parsesListWithRangesAndSingles() {
        CpuSet s = CpuSet.parseList("0-3,8,10-11\n");
        assertEquals(7, s.size());
        assertEquals("0-3,8,10-11", s.toList());
    }

    @Test
    void parsesListWithStride() {
        assertEquals("0,2,4,6", CpuSet.parseList("0-7:2").toList());
    }

    @Test
    void emptyAndNulPaddedListsAreEmpty() {
        assertTrue(CpuSet.parseList("\n").isEmpty());
        assertTrue(CpuSet.parseList("\0\0\0").isEmpty());
        assertEquals("0-1", CpuSet.parseList("0-1\n\0\0\0\0").toList());
    }

    @Test
    void parsesMultiWordMask() {
        assertEquals("0-3,32,63", CpuSet.parseMask("80000001,0000000f\n").toList());
        assertEquals("0-7", CpuSet.parseMask("00000000,00000000,000000ff").toList());
    }

    @Test
    void parsesShortAndLongSingleWordMasks() {
        assertEquals("0,4", CpuSet.parseMask("11").toList());
        assertEquals("36", CpuSet.parseMask("1000000000").toList());
    }

    @Test
    void handlesMoreThan256Cpus() {
        CpuSet s = CpuSet.parseList("0-299");
        assertEquals(300, s.size());
        assertEquals(299, s.last());
    }

    @Test
    void refusesIdsBeyondAnyKernelSoATemplatedListCannotExhaustMemory() {
        assertEquals(CpuSet.MAX_ID, CpuSet.parseList(Integer.toString(CpuSet.MAX_ID)).last());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parseList("0-2000000000"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parseList("99999999999999999999"));
    }

    @Test
    void rejectsGarbageWithTheValidForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parseList("0-x"));
        assertTrue(e.getMessage().contains("0-3,8,10-11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parseList("3-1"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parseMask("zz"));
    }

    @Test
    void setAlgebra() {
        CpuSet a = CpuSet.parseList("0-7");
        CpuSet b = CpuSet.parseList("4-11");
        assertEquals("4-7", a.intersect(b).toList());
        assertEquals("0-11", a.union(b).toList());
        assertEquals("0-3", a.minus(b).toList());
        assertTrue(a.containsAll(CpuSet.of(1, 2)));
        assertEquals(0, a.first());
        assertEquals(-1, CpuSet.EMPTY.first());
    }

    @Test
    void kernelMaskWordsRoundTripAndCompareWordByWord() {
        CpuSet s = CpuSet.of(0, 63, 64, 130);
        assertEquals(3, s.wordCount());
        long[] mask = new long[4];
        mask[3] = -1L;
        s.copyWords(mask);
        assertEquals(1L | (1L << 63), mask[0]);
        assertEquals(1L, mask[1]);
        assertEquals(1L << 2, mask[2]);
        assertEquals(0L, mask[3], "words past the set are zeroed");
        assertEquals(s, CpuSet.fromWords(mask));
        assertTrue(s.sameWords(mask));
        mask[3] = 1;
        assertFalse(s.sameWords(mask), "a CPU past the set's last word");
        assertFalse(s.sameWords(new long[2]), "a mask too short to hold the set");
        assertTrue(CpuSet.EMPTY.sameWords(new long[1]));
        assertEquals(0, CpuSet.EMPTY.wordCount());
    }
}
