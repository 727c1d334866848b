package io.numaagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    @Test
    void everyRoundRunsEveryVariantOnceStartingOneFurtherAlong() {
        List<Variant> variants = List.of(new Variant("a", List.of()), new Variant("b", List.of()), new Variant("c", List.of()));
        List<String> order = new ArrayList<>();
        RoundRobin.run(1, 2, variants, (round, v) -> order.add(round + v.name()));
        assertEquals(List.of("-1c", "-1a", "-1b", "0a", "0b", "0c", "1b", "1c", "1a"), order);
    }
}
