package io.numaagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The synthetic machines have what Documentation/ABI/stable/sysfs-devices-node, -system-cpu and sysfs-bus-pci say. */
class SyntheticMachineTest {

    private static final String NODES = "devices/system/node";
    private static final String CPUS = "devices/system/cpu";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void everyOnlineNodeHasCpulistMeminfoAndADistanceToEachNode(String name) throws IOException {
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        List<Integer> nodes = list(machine, NODES + "/online");
        for (int node : nodes) {
            Path nodeDir = machine.sys(NODES + "/node" + node);
            list(machine, NODES + "/node" + node + "/cpulist");
            assertTrue(Files.readString(nodeDir.resolve("meminfo"))
                    .matches("(?s)Node " + node + " MemTotal:\\s+\\d+ kB\n.*"), "meminfo of node " + node);
            assertEquals(nodes.size(), distances(machine, node).size(), "distance of node " + node);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void distancesAreSymmetricWithTenToItself(String name) throws IOException {
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        List<Integer> nodes = list(machine, NODES + "/online");
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals(10, distances(machine, nodes.get(i)).get(i));
            for (int j = 0; j < nodes.size(); j++) {
                assertEquals(distances(machine, nodes.get(i)).get(j), distances(machine, nodes.get(j)).get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void nodeCpulistsPartitionTheOnlineCpus(String name) throws IOException {
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        List<Integer> all = new ArrayList<>();
        for (int node : list(machine, NODES + "/online")) {
            all.addAll(list(machine, NODES + "/node" + node + "/cpulist"));
        }
        assertEquals(list(machine, CPUS + "/online"), all.stream().sorted().toList());
        assertEquals(all.size(), new TreeSet<>(all).size(), "a CPU in two nodes: " + all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void everyOnlineCpuHasTopologyAndALinkToItsNode(String name) throws IOException {
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        for (int cpu : list(machine, CPUS + "/online")) {
            Path topology = machine.sys(CPUS + "/cpu" + cpu + "/topology");
            for (String file : List.of("core_id", "physical_package_id", "die_id")) {
                Integer.parseInt(Files.readString(topology.resolve(file)).strip());
            }
            for (String file : List.of("core_cpus_list", "thread_siblings_list", "package_cpus_list", "core_siblings_list")) {
                assertTrue(list(machine, CPUS + "/cpu" + cpu + "/topology/" + file).contains(cpu), file + " of cpu" + cpu);
            }
            List<Path> nodeLinks;
            try (Stream<Path> entries = Files.list(machine.sys(CPUS + "/cpu" + cpu))) {
                nodeLinks = entries.filter(p -> p.getFileName().toString().matches("node\\d+")).toList();
            }
            assertEquals(1, nodeLinks.size(), "cpu" + cpu + " node links " + nodeLinks);
            assertTrue(Files.isSymbolicLink(nodeLinks.get(0)));
            assertTrue(CpuList.parse(Files.readString(nodeLinks.get(0).resolve("cpulist"))).contains(cpu));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void pciDevicesAreLinksIntoTheDeviceTreeWithTheirAttributes(String name) throws IOException {
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        Path devicesDir = machine.sys("bus/pci/devices");
        Path deviceTree = machine.sys("devices").toRealPath();
        try (Stream<Path> devices = Files.list(devicesDir)) {
            for (Path link : (Iterable<Path>) devices::iterator) {
                String bdf = link.getFileName().toString();
                assertTrue(bdf.matches("\\p{XDigit}{4}:\\p{XDigit}{2}:\\p{XDigit}{2}\\.\\d"), bdf);
                assertTrue(Files.isSymbolicLink(link), bdf + " is not a link");
                Path real = link.toRealPath();
                assertTrue(real.startsWith(deviceTree) && real.getFileName().toString().equals(bdf), bdf + " -> " + real);
                assertTrue(read(link.resolve("class")).matches("0x\\p{XDigit}{6}"), bdf + " class");
                assertTrue(read(link.resolve("vendor")).matches("0x\\p{XDigit}{4}"), bdf + " vendor");
                assertTrue(read(link.resolve("device")).matches("0x\\p{XDigit}{4}"), bdf + " device");
                Integer.parseInt(read(link.resolve("numa_node")));
                CpuList.parse(read(link.resolve("local_cpulist")));
                assertTrue(Files.isDirectory(link.resolve("driver")), bdf + " driver");
            }
        }
    }

    @Test
    void twoNodeMachineHasItsGpusNicAndNvmeWhereItsReadmeSays() throws IOException {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Map<String, String> gpus = new TreeMap<>();
        try (Stream<Path> devices = Files.list(machine.sys("bus/pci/devices"))) {
            for (Path device : (Iterable<Path>) devices::iterator) {
                if (read(device.resolve("class")).startsWith("0x0302") && read(device.resolve("vendor")).equals("0x10de")) {
                    gpus.put(device.getFileName().toString(),
                            read(device.resolve("numa_node")) + "/" + read(device.resolve("local_cpulist")));
                }
            }
        }
        assertEquals(Map.of("0000:3b:00.0", "0/0", "0000:af:00.0", "1/1"), gpus);

        Path nic = machine.sys("class/net/eth9/device");
        assertEquals("0000:d8:00.0", nic.toRealPath().getFileName().toString());
        assertEquals("1", read(nic.resolve("numa_node")));

        Path nvme = machine.sys("class/nvme/nvme0/device");
        assertEquals("0000:5e:00.0", nvme.toRealPath().getFileName().toString());
        assertEquals("-1", read(nvme.resolve("numa_node")));
        assertEquals(List.of(0, 1), CpuList.parse(read(nvme.resolve("local_cpulist"))));
        assertTrue(Files.isDirectory(machine.sys("block/nvme0n1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-node", "one-node-two-cores"})
    void machineCpusAreCpusThisHostLetsUsRunOn(String name) throws IOException {
        // the agent tests bind real threads to these CPUs; a host without them cannot run those tests
        SyntheticMachine machine = SyntheticMachine.create(name, dir);
        List<Integer> machineCpus = list(machine, CPUS + "/online");
        assertTrue(SampleEngineProcess.hostCpus().containsAll(machineCpus),
                "machine " + name + " uses CPUs " + machineCpus + ", this host allows " + SampleEngineProcess.hostCpus());
    }

    private static List<Integer> list(SyntheticMachine machine, String file) throws IOException {
        return CpuList.parse(read(machine.sys(file)));
    }

    private static List<Integer> distances(SyntheticMachine machine, int node) throws IOException {
        return Stream.of(read(machine.sys(NODES + "/node" + node + "/distance")).split("\\s+")).map(Integer::valueOf).toList();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }
}
