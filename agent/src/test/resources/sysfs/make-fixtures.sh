#!/bin/bash
# Regenerates the small sysfs trees the topology unit tests read (one directory per case).
# Run from this directory. Each tree holds only the files the case needs.
set -e
cd "$(dirname "$0")"
w() { mkdir -p "$(dirname "$1")"; printf '%b' "$2" > "$1"; }
cpus() { # root first last [node-of-cpu...]: cpu directories with topology
  local r=$1 f=$2 l=$3 i
  for ((i=f; i<=l; i++)); do
    w $r/sys/devices/system/cpu/cpu$i/topology/core_id "$i\n"
    w $r/sys/devices/system/cpu/cpu$i/topology/physical_package_id "$((i / 2 / 2))\n"
    w $r/sys/devices/system/cpu/cpu$i/topology/core_cpus_list "$i\n"
  done
  w $r/sys/devices/system/cpu/online "$f-$l\n"
  w $r/sys/devices/system/cpu/possible "$f-$l\n"
}
node() { # root id cpulist memKiB distance
  w $1/sys/devices/system/node/node$2/cpulist "$3\n"
  w $1/sys/devices/system/node/node$2/meminfo "Node $2 MemTotal:       $4 kB\nNode $2 MemFree:        1 kB\n"
  w $1/sys/devices/system/node/node$2/distance "$5\n"
}
pci() { # root address class vendor numa_node local_cpus local_cpulist
  local d=$1/sys/devices/pci0000:00/$2
  w $d/class "$3\n"; w $d/vendor "$4\n"; w $d/device "0x1234\n"; w $d/numa_node "$5\n"
  w $d/local_cpus "$6\n"; w $d/local_cpulist "$7\n"
  mkdir -p $1/sys/bus/pci/devices
  ln -sfn ../../../devices/pci0000:00/$2 $1/sys/bus/pci/devices/$2
}
rm -rf */

# Two nodes with CPUs, node 2 memory-only with an HMAT initiator (node 1), node 3 memory-only
# without initiators but nearest (by distance) to node 0.
r=memory-only-nodes; cpus $r 0 3
node $r 0 0-1 1048576 "10 20 30 15"; node $r 1 2-3 1048576 "20 10 15 30"
node $r 2 "" 4194304 "30 15 10 30"; node $r 3 "" 4194304 "15 30 30 10"
w $r/sys/devices/system/node/online "0-3\n"
mkdir -p $r/sys/devices/system/node/node2/access0/initiators
ln -sfn ../../../node1 $r/sys/devices/system/node/node2/access0/initiators/node1

# A memory-only node whose distances say nothing (all equal): no locality.
r=memory-only-no-locality; cpus $r 0 3
node $r 0 0-1 1048576 "10 20 20"; node $r 1 2-3 1048576 "20 10 20"; node $r 2 "" 1048576 "20 20 10"
w $r/sys/devices/system/node/online "0-2\n"

# PCI functions: two NVIDIA GPUs, numa_node -1 with narrow and full local CPUs, net, nvme, accel.
r=pci-devices; cpus $r 0 3
node $r 0 0-1 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"
pci $r 0000:3b:00.0 0x030200 0x10de 1 0000000c 2-3
pci $r 0000:17:00.0 0x030000 0x10de 0 00000003 0-1
pci $r 0000:18:00.0 0x030000 0x1002 0 00000003 0-1
pci $r 0000:00:01.0 0x060100 0x8086 -1 00000003 0-1
pci $r 0000:00:02.0 0x060000 0x8086 -1 0000000f 0-3
pci $r 0000:5e:00.0 0x020000 0x15b3 1 0000000c 2-3
pci $r 0000:af:00.0 0x010802 0x144d 0 00000003 0-1
pci $r 0000:d8:00.0 0x120000 0x1da3 1 0000000c 2-3
mkdir -p $r/sys/class/net/eth0 $r/sys/class/nvme/nvme0 $r/sys/class/accel/accel0
ln -sfn ../../../devices/pci0000:00/0000:5e:00.0 $r/sys/class/net/eth0/device
ln -sfn ../../../devices/pci0000:00/0000:af:00.0 $r/sys/class/nvme/nvme0/device
ln -sfn ../../../devices/pci0000:00/0000:d8:00.0 $r/sys/class/accel/accel0/device

# CPUs 2 and 5 offline: cpu/online says so, cpu2 also lost its topology directory.
r=offline-cpus; cpus $r 0 5
w $r/sys/devices/system/cpu/online "0-1,3-4\n"; w $r/sys/devices/system/cpu/present "0-5\n"
w $r/sys/devices/system/cpu/cpu2/online "0\n"; w $r/sys/devices/system/cpu/cpu5/online "0\n"
rm -rf $r/sys/devices/system/cpu/cpu2/topology
node $r 0 0-5 1048576 "10"

# Old kernel: no cpu/online file, per-CPU online flags; cpu0 has none (cannot go offline).
r=per-cpu-online; cpus $r 0 3; rm $r/sys/devices/system/cpu/online
w $r/sys/devices/system/cpu/cpu1/online "1\n"; w $r/sys/devices/system/cpu/cpu2/online "0\n"; w $r/sys/devices/system/cpu/cpu3/online "1\n"
rm -rf $r/sys/devices/system/cpu/cpu2/topology

# cgroup v1 cpuset allowing CPUs 1-3 and memory of node 1 only: CPU 1 belongs to disallowed node 0.
r=cgroup-v1; cpus $r 0 3
node $r 0 0-1 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"
w $r/proc/mounts "sysfs /sys sysfs rw 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/cpuset cgroup rw,nosuid,cpuset 0 0\n"
w $r/proc/self/cgroup "5:memory:/other\n3:cpuset:/job\n1:name=systemd:/job\n"
w $r/sys/fs/cgroup/cpuset/job/cpuset.cpus "1-3\n"; w $r/sys/fs/cgroup/cpuset/job/cpuset.mems "1\n"
w $r/sys/fs/cgroup/cpuset/job/cpuset.effective_cpus "1-3\n"; w $r/sys/fs/cgroup/cpuset/job/cpuset.effective_mems "1\n"
w $r/sys/fs/cgroup/cpuset/cpuset.cpus "0-3\n"; w $r/sys/fs/cgroup/cpuset/cpuset.mems "0-1\n"

# cgroup v2 mounted at a non-standard place; the process's cgroup has no cpuset files, its parent has.
r=cgroup-v2-custom-mount; cpus $r 0 3
node $r 0 0-1 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"
w $r/proc/mounts "sysfs /sys sysfs rw 0 0\ncgroup2 /run/my\\\\040cgroups cgroup2 rw,nosuid,nodev 0 0\n"
w $r/proc/self/cgroup "0::/app/worker\n"
w "$r/run/my cgroups/cgroup.controllers" "cpuset cpu memory\n"
w "$r/run/my cgroups/cpuset.cpus.effective" "0-3\n"; w "$r/run/my cgroups/cpuset.mems.effective" "0-1\n"
w "$r/run/my cgroups/app/cpuset.cpus.effective" "2-3\n"; w "$r/run/my cgroups/app/cpuset.mems.effective" "1\n"
w "$r/run/my cgroups/app/worker/cgroup.procs" "1\n"

# Legacy /dev/cpuset (cpus/mems without prefix), not listed in proc/mounts.
r=dev-cpuset; cpus $r 0 3
node $r 0 0-1 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"
w $r/proc/self/cpuset "/batch\n"
w $r/dev/cpuset/cpus "0-3\n"; w $r/dev/cpuset/mems "0-1\n"
w $r/dev/cpuset/batch/cpus "0-1\n"; w $r/dev/cpuset/batch/mems "0\n"

# Firmware lists CPUs 2-3 in node 0 and node 1.
r=overlapping-nodes; cpus $r 0 3
node $r 0 0-3 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"

# No sys/devices/system/node at all.
r=no-node-dir; cpus $r 0 3
w $r/proc/meminfo "MemTotal:        8388608 kB\nMemFree:         1 kB\n"

# Old kernel: node cpumap only, no cpulist.
r=cpumap-only; cpus $r 0 39
for n in 0 1; do w $r/sys/devices/system/node/node$n/meminfo "Node $n MemTotal: 1024 kB\n"; done
w $r/sys/devices/system/node/node0/cpumap "00000000,000fffff\n"; w $r/sys/devices/system/node/node1/cpumap "000000ff,fff00000\n"
w $r/sys/devices/system/node/node0/distance "10 21\n"; w $r/sys/devices/system/node/node1/distance "21 10\n"

# Files padded with NUL bytes after the text.
r=nul-padded; cpus $r 0 3
w $r/sys/devices/system/cpu/online "0-3\n\0\0\0\0\0\0"
node $r 0 0-1 1048576 "10 20"; node $r 1 2-3 1048576 "20 10"
w $r/sys/devices/system/node/node1/cpulist "2-3\n\0\0\0\0\0\0\0\0"
w $r/sys/devices/system/node/node1/distance "20 10\0\0\0\0"

# 320 CPUs in two nodes given as multi-word masks (more than 64 and more than 256 CPUs).
r=many-cpus; mkdir -p $r/sys/devices/system/cpu
# no cpuN directories: cpu/online alone says which CPUs exist
w $r/sys/devices/system/cpu/online "0-319\n"; w $r/sys/devices/system/cpu/possible "0-511\n"
w $r/sys/devices/system/node/node0/cpumap "00000000,00000000,00000000,00000000,00000000,ffffffff,ffffffff,ffffffff,ffffffff,ffffffff\n"
w $r/sys/devices/system/node/node1/cpumap "ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,00000000,00000000,00000000,00000000,00000000\n"
for n in 0 1; do w $r/sys/devices/system/node/node$n/meminfo "Node $n MemTotal: 1024 kB\n"; done

# Sparse node ids up to 255; distance rows follow node/online order.
r=sparse-nodes; cpus $r 0 7
w $r/sys/devices/system/node/online "0-1,4,255\n"; w $r/sys/devices/system/node/possible "0-255\n"
node $r 0 0-1 1024 "10 20 30 40"; node $r 1 2-3 1024 "20 10 30 40"
node $r 4 4-5 1024 "30 30 10 40"; node $r 255 6-7 1024 "40 40 40 10"
