package io.numaagent.it;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the kernel's list format ({@code 0-3,8}) into sorted CPU or node numbers. The harness does not use the
 * agent's CpuSet on purpose: it is the oracle for the agent, so a bug in the agent's parser must not be able to
 * hide itself here.
 */
public final class CpuList {

    private CpuList() {
    }

    public static List<Integer> parse(String list) {
        List<Integer> numbers = new ArrayList<>();
        String trimmed = list.trim();
        if (trimmed.isEmpty()) {
            return numbers;
        }
        for (String part : trimmed.split(",")) {
            int dash = part.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
            for (int n = first; n <= last; n++) {
                numbers.add(n);
            }
        }
        return numbers;
    }
}
