package io.numaagent.config;

import java.util.Locale;

/** The kind of device a rule places its threads near: the word before the colon in {@code rule.NAME.device}. */
public enum DeviceKind {
    /** {@code gpu:N}: the N-th GPU. */
    GPU,
    /** {@code accel:N}: the N-th accelerator of the kernel's accel class. */
    ACCEL,
    /** {@code net:IFACE}: a network interface by name. */
    NET,
    /** {@code nvme:NAME}: an NVMe controller or namespace by name, e.g. nvme0 or nvme0n1. */
    NVME,
    /** {@code pci:BDF}: any PCI function by address. */
    PCI,
    /** {@code node:N}: a NUMA node itself. */
    NODE,
    /** {@code cpus:LIST}: an explicit cpulist; the node is the one(s) those CPUs belong to. */
    CPUS;

    /** The word written in the configuration file, e.g. {@code nvme}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
