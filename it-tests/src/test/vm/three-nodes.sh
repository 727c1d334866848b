#!/bin/bash
# Runs inside a VM with nodes 0 and 1 of 2 CPUs each and node 2 memory-only (run.sh -c 2,2,0):
# a worker whose device is node:2 gets node 2's near CPUs and its memory on node 2.
. "$(dirname "$0")/lib.sh"
cd "$NUMA_VM_OUT" || exit 3
stamp start
thp_off
numactl -H > numactl-H.txt 2>&1
SERIAL=("${JVM_FAST[@]}" -XX:+UseSerialGC)
"$JAVA" "${SERIAL[@]}" -jar "$AGENT_JAR" topology > topology.txt 2>&1
if held three "${SERIAL[@]}" -javaagent:"$AGENT_JAR"=vm-three-nodes.properties -jar "$ENGINE_JAR" --devices 3 "${ENGINE_ARGS[@]}"; then
  procdump "$HELD_PID" three.proc
  check three "$HELD_PID"
  release three
fi
stamp end
