package io.numaagent.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine as this process sees it, read once from sysfs by {@link TopologyReader}: the one model
 * every question about CPUs, nodes and devices is answered from.
 *
 * @param onlineCpus         CPUs the kernel has online
 * @param allowedCpus        CPUs the process's cpuset (cgroup, legacy cpuset, affinity mask) allows
 * @param cpus               online and allowed: what the process may run on
 * @param allowedMemoryNodes nodes the process may allocate memory on
 * @param nodes              the allowed nodes, sorted by id (as hwloc lists them)
 * @param cpuDetails         one entry per usable CPU, sorted by id
 * @param cores              one entry per core with a usable CPU
 * @param caches             distinct caches shared by usable CPUs
 * @param devices            PCI functions sorted by address
 * @param notes              every fallback, oddity and restriction found while reading, one line each
 */
public record Topology(CpuSet onlineCpus, CpuSet allowedCpus, CpuSet cpus, CpuSet allowedMemoryNodes,
        List<NumaNode> nodes, List<Cpu> cpuDetails, List<Core> cores, List<Cache> caches,
        List<PciDevice> devices, List<String> notes) {

    public Topology {
        nodes = List.copyOf(nodes);
        cpuDetails = List.copyOf(cpuDetails);
        cores = List.copyOf(cores);
        caches = List.copyOf(caches);
        devices = List.copyOf(devices);
        notes = List.copyOf(notes);
    }

    /**
     * The allowed node with this id. Code here runs at start-up: loops rather than streams and lambdas,
     * each of which costs a cold JVM a generated class.
     */
    public Optional<NumaNode> node(int id) {
        for (NumaNode n : nodes) {
            if (n.id() == id) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * The machine's CPU classes, fastest first (see {@link CpuKinds} for the sources and how they
     * combine); one class when every CPU reads alike. Derived from {@link #cpuDetails()}, which
     * already holds every value read, so no file is read again.
     */
    public List<CpuKind> cpuKinds() {
        return CpuKinds.of(cpuDetails);
    }

    /** The classes present among {@code cpus}, fastest first, each restricted to them (machine-wide ranks). */
    public List<CpuKind> cpuKinds(CpuSet cpus) {
        List<CpuKind> within = new ArrayList<>();
        for (CpuKind k : cpuKinds()) {
            if (k.cpus().intersects(cpus)) {
                within.add(k.within(cpus));
            }
        }
        return within;
    }

    /**
     * Where a worker of the named device should run. Names: {@code node:N}, {@code gpu:N},
     * {@code accel:N}, {@code net:IFACE}, {@code nvme:NAME}, {@code pci:DOMAIN:BUS:DEV.FN} (or
     * {@code pci:BUS:DEV.FN} for domain 0000), {@code cpus:LIST} (CPUs the process may use).
     */
    public DeviceLocation locate(String deviceName) throws UnknownDeviceException {
        String name = deviceName == null ? "" : deviceName.trim();
        if (name.startsWith("node:")) {
            int id;
            try {
                id = Integer.parseInt(name.substring(5));
            } catch (NumberFormatException e) {
                throw unknown(name, "'" + name.substring(5) + "' is not a node id");
            }
            Optional<NumaNode> node = node(id);
            if (node.isEmpty()) {
                throw unknown(name, "node " + id + " is not a NUMA node this process may use");
            }
            return Locality.ofNode(this, node.get(), name);
        }
        if (name.startsWith("cpus:")) {
            String list = name.substring(5);
            String valid = "valid: CPUs this process may use, " + cpus.toList();
            CpuSet listed;
            try {
                listed = CpuSet.parseList(list);
            } catch (IllegalArgumentException e) {
                throw new UnknownDeviceException("'" + list + "' is not a CPU list such as 0-3,8; " + valid);
            }
            if (listed.isEmpty()) {
                throw new UnknownDeviceException(name + " lists no CPU; " + valid);
            }
            CpuSet outside = listed.minus(cpus);
            if (!outside.isEmpty()) {
                throw new UnknownDeviceException("CPUs " + outside.toList() + " of " + name
                        + " are not CPUs this process may use (offline, absent, or outside its cpuset); " + valid);
            }
            return Locality.ofCpuList(this, listed, name);
        }
        if (name.startsWith("pci:")) {
            String address = normalizePciAddress(name.substring(4));
            for (PciDevice d : devices) {
                if (d.address().equals(address)) {
                    return Locality.ofDevice(this, d, name);
                }
            }
            throw unknown(name, "no PCI function " + address);
        }
        for (PciDevice d : devices) {
            if (d.names().contains(name)) {
                return Locality.ofDevice(this, d, name);
            }
        }
        throw unknown(name, "no such device");
    }

    /** Every device name {@link #locate} knows besides {@code pci:ADDRESS}: named devices, then {@code node:N}. */
    public List<String> deviceNames() {
        List<String> names = new ArrayList<>();
        for (PciDevice d : devices) {
            names.addAll(d.names());
        }
        for (NumaNode n : nodes) {
            names.add("node:" + n.id());
        }
        return names;
    }

    private UnknownDeviceException unknown(String name, String why) {
        return new UnknownDeviceException("unknown device '" + name + "' (" + why + "); valid: "
                + String.join(", ", deviceNames())
                + (deviceNames().isEmpty() ? "" : ", ")
                + "or the forms cpus:LIST, node:N, gpu:N, accel:N, net:IFACE, nvme:NAME, pci:DOMAIN:BUS:DEV.FN, pci:BUS:DEV.FN");
    }

    /** {@code 3B:00.0} and {@code 0000:3b:00.0} both become {@code 0000:3b:00.0}. */
    static String normalizePciAddress(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        if (a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':')) {
            a = "0000:" + a;
        }
        return a;
    }
}
