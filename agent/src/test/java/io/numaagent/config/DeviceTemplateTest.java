package io.numaagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTemplateTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "gpu:0,               gpu:0,          GPU",
            "accel:12,            accel:12,       ACCEL",
            "node:3,              node:3,         NODE",
            "net:eth0,            net:eth0,       NET",
            "net:enp59s0f1np1,    net:enp59s0f1np1, NET",
            "nvme:nvme0n1,        nvme:nvme0n1,   NVME",
            "pci:0000:3b:00.0,    pci:0000:3b:00.0, PCI",
            "pci:3B:1f.7,         pci:0000:3b:1f.7, PCI",
            "pci:10000:00:02.0,   pci:10000:00:02.0, PCI",
            "'cpus:0-3,8',        'cpus:0-3,8',   CPUS",
            "cpus:0-15:2,         cpus:0-15:2,    CPUS",
    })
    void literalDevicesParseAndExpandToThemselves(String text, String expanded, DeviceKind kind) {
        DeviceTemplate d = DeviceTemplate.parse(text, -1);
        assertEquals(kind, d.kind());
        assertFalse(d.isTemplated());
        assertEquals(expanded, d.expand(null));
        assertEquals(text, d.text());
    }

    @Test
    void groupIsReplacedByTheThreadNamesMatch() {
        Matcher m = Pattern.compile("rx-(eth\\d+)-q(\\d+)").matcher("rx-eth2-q5");
        assertTrue(m.matches());
        DeviceTemplate d = DeviceTemplate.parse("net:$1", 2);
        assertTrue(d.isTemplated());
        assertEquals("net:eth2", d.expand(m));
        assertEquals("eth2", d.expandArgument(m));
        assertEquals("nvme:nvme5n1", DeviceTemplate.parse("nvme:nvme$2n1", 2).expand(m));
    }

    @Test
    void groupThatDidNotTakePartExpandsToNothingInsteadOfThrowing() {
        Matcher m = Pattern.compile("w(\\d+)?").matcher("w");
        assertTrue(m.matches());
        assertEquals("gpu:", DeviceTemplate.parse("gpu:$1", 1).expand(m));
        assertEquals("gpu:", DeviceTemplate.parse("gpu:$1", 1).expand(null));
    }

    @Test
    void groupBeyondTheRegexGroupsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceTemplate.parse("gpu:$3", 2));
        assertEquals("uses $3 but the thread-name regex has 2 groups; expected $1..$2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceTemplate.parse("gpu:$1", 0));
        assertTrue(e.getMessage().startsWith("uses $1 but the thread-name regex has no groups"), e.getMessage());
    }

    @Test
    void groupWithoutAnyRegexIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceTemplate.parse("gpu:$1", -1));
        assertTrue(e.getMessage().startsWith("uses $1 but the rule has no thread-name regex"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gpu", "gpu:", "GPU:0", "disk:0", "gpu:-1", "gpu:1.5", "gpu:x", "gpu:99999999999",
            "gpu:1$1", "gpu:$0", "gpu:$", "gpu:$a", "node:$1$2", "net:eth/0", "net:a:b", "net:has space",
            "net:sixteen-chars-xy", "net:.", "nvme:nvme0/n1", "pci:3b:00", "pci:0000:3b:00.8", "pci:0000:3b:20.0",
            "pci:zz:00.0", "cpus:3-1", "cpus:a", "cpus:,", "cpus:0-2000000000", "cpus:x$1", "pci:0000:$1:0g.0"})
    void malformedDevicesAreRejectedWithWhatIsValid(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceTemplate.parse(text, 2));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void hugeCpuIdIsRejectedBeforeBuildingASet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceTemplate.parse("cpus:0-2000000000", -1));
        assertTrue(e.getMessage().startsWith("has a CPU id or stride above 65535"), e.getMessage());
    }
}
