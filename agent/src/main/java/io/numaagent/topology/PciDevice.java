package io.numaagent.topology;

import java.util.List;

/**
 * One PCI function.
 *
 * @param address   {@code DOMAIN:BUS:DEV.FN}, e.g. {@code 0000:3b:00.0}
 * @param classCode e.g. {@code 0x030200}
 * @param vendor    e.g. {@code 0x10de}
 * @param deviceId  e.g. {@code 0x20b0}
 * @param node      its {@code numa_node}, -1 when the firmware gives none
 * @param localCpus its {@code local_cpus} as the kernel lists them (empty when absent)
 * @param cpus      what a worker of this device would be pinned to (see {@link Topology#locate})
 * @param names     the names it answers to besides {@code pci:ADDRESS}, e.g. {@code gpu:0}, {@code net:eth0}
 */
public record PciDevice(String address, String classCode, String vendor, String deviceId, int node,
        CpuSet localCpus, CpuSet cpus, List<String> names) {

    public PciDevice {
        names = List.copyOf(names);
    }
}
