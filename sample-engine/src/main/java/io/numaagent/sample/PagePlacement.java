package io.numaagent.sample;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * How many of a buffer's pages sit on each NUMA node, and where that was read from.
 * Keys are {@code N<node>} for placed pages, or a reason a page has no node ({@code absent}, {@code errno<E>}).
 */
record PagePlacement(Map<String, Long> pagesByNode, String source) {

    PagePlacement {
        pagesByNode = Map.copyOf(pagesByNode);
    }

    static PagePlacement unknown(String source) {
        return new PagePlacement(Map.of(), source);
    }

    /** {@code N0:16384,N1:2}, nodes in numeric order; {@code unknown} when nothing was read. */
    String format() {
        if (pagesByNode.isEmpty()) {
            return "unknown";
        }
        Map<String, Long> ordered = new TreeMap<>((a, b) -> {
            boolean aNode = a.matches("N\\d+");
            boolean bNode = b.matches("N\\d+");
            if (aNode && bNode) {
                return Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
            }
            return aNode != bNode ? (aNode ? -1 : 1) : a.compareTo(b);
        });
        ordered.putAll(pagesByNode);
        StringJoiner out = new StringJoiner(",");
        ordered.forEach((node, pages) -> out.add(node + ":" + pages));
        return out.toString();
    }
}
