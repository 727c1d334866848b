#!/bin/bash
# Runs inside a 2-node x 2-CPU VM: the sample engine without and with the agent, under several
# configurations; every result lands in $NUMA_VM_OUT for the host-side test to judge.
. "$(dirname "$0")/lib.sh"
cd "$NUMA_VM_OUT" || exit 3
stamp start
thp_off
numactl -H > numactl-H.txt 2>&1

SERIAL=("${JVM_FAST[@]}" -XX:+UseSerialGC)
# 1. first-touch placement: no agent
run baseline "$JAVA" "${SERIAL[@]}" -jar "$ENGINE_JAR" --devices 2 "${ENGINE_ARGS[@]}"

# 2. preferred, each worker on its node; held, so check and a raw /proc dump can read it
if held preferred "${SERIAL[@]}" -javaagent:"$AGENT_JAR"=vm-preferred.properties -jar "$ENGINE_JAR" --devices 2 "${ENGINE_ARGS[@]}"; then
  procdump "$HELD_PID" preferred.proc
  stamp procdump
  [ -n "${CAPTURE_DIR:-}" ] && capture "$HELD_PID" "$CAPTURE_DIR"
  check preferred "$HELD_PID"
  release preferred
fi

# 3. interleave with device node:$1: the interleave set is that one node
run interleave "$JAVA" "${SERIAL[@]}" -javaagent:"$AGENT_JAR"=vm-interleave.properties -jar "$ENGINE_JAR" --devices 2 "${ENGINE_ARGS[@]}"

# 4. what an interleave over both nodes looks like (numactl, no agent): the reference for "even"
run numactl-interleave numactl --interleave=all "$JAVA" "${SERIAL[@]}" -jar "$ENGINE_JAR" --devices 2 "${ENGINE_ARGS[@]}"

# 5. process.cpus = union with every worker on node 1: main, GC and the rest end on node 1's CPUs
#    (G1 with two GC workers, so there are GC threads to see)
if held union "${JVM_FAST[@]}" -XX:+UseG1GC -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 \
    -javaagent:"$AGENT_JAR"=vm-union-node1.properties -jar "$ENGINE_JAR" --devices 2 "${ENGINE_ARGS[@]}"; then
  procdump "$HELD_PID" union.proc
  check union "$HELD_PID"
  release union
fi
stamp end
