package io.numaagent.sample;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fallback without native code: finds the mapping that holds the buffer in /proc/self/maps and reads its
 * per-node page counts from /proc/self/numa_maps. Coarser than move_pages: the count covers the whole
 * mapping (the kernel may merge neighbouring anonymous mappings), and no thread memory policy is visible.
 */
final class NumaMapsProbe implements NumaProbe {

    @Override
    public PagePlacement pagePlacement(ByteBuffer directBuffer) {
        long address;
        try {
            // The address of a direct buffer is a private field; the jar's manifest opens java.nio for it.
            Field field = Buffer.class.getDeclaredField("address");
            field.setAccessible(true);
            address = field.getLong(directBuffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return PagePlacement.unknown("numa_maps:no-address");
        }
        try {
            String mappingStart = mappingStart(Files.readAllLines(Path.of("/proc/self/maps")), address);
            if (mappingStart == null) {
                return PagePlacement.unknown("numa_maps:no-mapping");
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/numa_maps"))) {
                if (line.startsWith(mappingStart + " ")) {
                    Map<String, Long> byNode = new HashMap<>();
                    for (String token : line.split(" ")) {
                        if (token.matches("N\\d+=\\d+")) {
                            String[] kv = token.split("=");
                            byNode.put(kv[0], Long.parseLong(kv[1]));
                        }
                    }
                    return new PagePlacement(byNode, "numa_maps");
                }
            }
            return PagePlacement.unknown("numa_maps:no-line");
        } catch (IOException e) {
            return PagePlacement.unknown("numa_maps:" + e.getClass().getSimpleName());
        }
    }

    /** The start address (hex, as numa_maps prints it) of the maps line whose range holds the address. */
    private static String mappingStart(List<String> maps, long address) {
        for (String line : maps) {
            String range = line.substring(0, line.indexOf(' '));
            int dash = range.indexOf('-');
            long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                return range.substring(0, dash);
            }
        }
        return null;
    }

    @Override
    public String memoryPolicy() {
        return "unknown";
    }

    @Override
    public String describe() {
        return "numa_maps";
    }
}
