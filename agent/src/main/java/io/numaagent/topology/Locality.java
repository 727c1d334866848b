package io.numaagent.topology;

/**
 * Decides the CPUs and memory nodes for a node or a device. It lives beside {@link Topology} because
 * both {@link Topology#locate} and the reader (for {@link PciDevice#cpus()}) need the same answer.
 */
final class Locality {

    private Locality() {
    }

    static DeviceLocation ofNode(Topology t, NumaNode node, String name) {
        CpuSet memory = CpuSet.of(node.id());
        if (!node.cpus().isEmpty()) {
            return new DeviceLocation(name, node.id(), node.cpus(), memory, name + " has CPUs " + node.cpus());
        }
        if (!node.nearCpus().isEmpty()) {
            return new DeviceLocation(name, node.id(), node.nearCpus(), memory,
                    name + " has no CPU this process may use; using its near CPUs " + node.nearCpus());
        }
        return new DeviceLocation(name, node.id(), t.cpus(), memory,
                name + " has no CPU this process may use and no near CPU; using all allowed CPUs " + t.cpus());
    }

    /** {@code cpus:LIST}: the listed CPUs (all usable), near the memory of the node(s) holding them. */
    static DeviceLocation ofCpuList(Topology t, CpuSet cpus, String name) {
        CpuSet memory = nodesHolding(t, cpus);
        int node = memory.size() == 1 ? memory.first() : -1;
        String where = memory.isEmpty() ? "in no node the process may allocate on (memory is left alone)"
                : memory.size() == 1 ? "on node " + node : "spanning nodes " + memory.toList();
        return new DeviceLocation(name, node, cpus, memory, name + " lists CPUs " + cpus.toList() + " " + where);
    }

    static DeviceLocation ofDevice(Topology t, PciDevice d, String name) {
        String what = name.equals("pci:" + d.address()) ? name : name + " is PCI " + d.address();
        return of(t, d.address(), d.node(), d.localCpus(), name, what);
    }

    static DeviceLocation of(Topology t, String address, int numaNode, CpuSet localCpus, String name, String what) {
        CpuSet all = t.cpus();
        if (numaNode >= 0) {
            NumaNode node = t.node(numaNode).orElse(null);
            if (node != null) {
                CpuSet memory = CpuSet.of(numaNode);
                if (!node.cpus().isEmpty()) {
                    return new DeviceLocation(name, numaNode, node.cpus(), memory, what + " on node " + numaNode);
                }
                if (!node.nearCpus().isEmpty()) {
                    return new DeviceLocation(name, numaNode, node.nearCpus(), memory, what + " on node " + numaNode
                            + ", which has no CPU this process may use; using the node's near CPUs " + node.nearCpus());
                }
                return new DeviceLocation(name, numaNode, all, memory, what + " on node " + numaNode
                        + ", which has no CPU this process may use and no near CPU; using all allowed CPUs " + all);
            }
            CpuSet local = localCpus.intersect(all);
            if (!local.isEmpty()) {
                return new DeviceLocation(name, numaNode, local, CpuSet.EMPTY, what + " on node " + numaNode
                        + ", whose memory this process may not use; using its local CPUs " + local + " and leaving memory alone");
            }
            return new DeviceLocation(name, numaNode, all, CpuSet.EMPTY, what + " on node " + numaNode
                    + ", which this process may not use; using all allowed CPUs " + all);
        }
        // numa_node -1: the firmware gave no node. local_cpus still says which CPUs are near when it is
        // narrower than the machine; when it covers every CPU it carries no locality at all.
        if (!localCpus.isEmpty() && !localCpus.containsAll(t.onlineCpus()) && cutsAcross(t, localCpus.intersect(all))) {
            return new DeviceLocation(name, -1, all, CpuSet.EMPTY, what + " has no NUMA node (numa_node -1) and its local CPUs "
                    + localCpus + " cut across node or package boundaries, so they say nothing about locality (hwloc"
                    + " attaches such devices to the machine); using all allowed CPUs " + all + " and leaving memory alone");
        }
        if (!localCpus.isEmpty() && !localCpus.containsAll(t.onlineCpus())) {
            CpuSet local = localCpus.intersect(all);
            CpuSet memory = nodesHolding(t, localCpus);
            int node = memory.size() == 1 ? memory.first() : -1;
            if (!local.isEmpty()) {
                return new DeviceLocation(name, node, local, memory, what + " has no NUMA node (numa_node -1); using its local CPUs " + local);
            }
            return new DeviceLocation(name, node, all, memory, what + " has no NUMA node (numa_node -1) and its local CPUs "
                    + localCpus + " are not allowed; using all allowed CPUs " + all);
        }
        return new DeviceLocation(name, -1, all, CpuSet.EMPTY, what + " has no locality (numa_node -1, local CPUs "
                + (localCpus.isEmpty() ? "unknown" : "cover the whole machine") + "); using all allowed CPUs " + all + " and leaving memory alone");
    }

    /**
     * Whether {@code local} takes part of a node or package without being inside it: such a set is not
     * a place in the machine (firmware tables that disagree with each other produce it).
     */
    static boolean cutsAcross(Topology t, CpuSet local) {
        // Loops, not forEach: the reader calls this at start-up, where each lambda costs a cold JVM a generated class.
        java.util.Map<Integer, CpuSet> packages = new java.util.TreeMap<>();
        for (Cpu c : t.cpuDetails()) {
            CpuSet.addTo(packages, c.packageId(), c.id());
        }
        java.util.List<CpuSet> places = new java.util.ArrayList<>(packages.values());
        for (NumaNode n : t.nodes()) {
            places.add(n.cpus());
        }
        for (CpuSet place : places) {
            if (place.intersects(local) && !place.containsAll(local) && !local.containsAll(place)) {
                return true;
            }
        }
        return false;
    }

    /** The allowed nodes holding some of {@code cpus}. */
    private static CpuSet nodesHolding(Topology t, CpuSet cpus) {
        CpuSet ids = CpuSet.EMPTY;
        for (NumaNode n : t.nodes()) {
            if (n.cpus().intersects(cpus)) {
                ids = ids.with(n.id());
            }
        }
        return ids;
    }
}
