# Shared by the scripts run inside the NUMA VM (numavm run.sh): held engine runs and raw /proc dumps.
# Expects: JAVA (the host test JVM's java), AGENT_JAR, ENGINE_JAR, NUMA_VM_OUT (results directory, shared with
# the host over 9p), and the working directory NUMA_VM_OUT (so relative agent arguments resolve there).
set -uo pipefail
# Short JVMs under TCG: C1 only, one compiler thread, serial GC (except where a run needs GC threads).
JVM_FAST=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1)
ENGINE_ARGS=(--buffer-mib "${BUFFER_MIB:-32}" --passes 1 --io-threads 1)

# Transparent huge pages off in the (throw-away) guest: Debian's kernel defaults to "always", and then
# (1) a preferred policy's fallback moves whole 2 MiB pages (one is 6 % of a 32 MiB buffer) and
# (2) the engine's move_pages count reports EFAULT for part of a THP-backed buffer (kernel 6.1).
# Page placement is then judged per 4 KiB page, as the policy places it.
# Automatic NUMA balancing off too: its hinting faults unmap pages for a while, and move_pages then
# reports them absent (seen: 3478 of 8193 pages of a worker's buffer), so the count would be flaky.
thp_off() {
  echo never > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
  echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
}

stamp() { echo "[vm $(date +%s.%N | cut -c1-14)] $*"; }

# run NAME COMMAND... : one engine run to completion; NAME.out, NAME.err, NAME.rc
run() {
  local name=$1; shift
  stamp "run $name"
  "$@" > "$name.out" 2> "$name.err" < /dev/null
  echo $? > "$name.rc"
}

# held NAME JAVA-ARGS... : starts an engine with --hold and waits for READY; HELD_PID is its pid.
# Its stdin is a FIFO on the guest's own /dev/shm (9p cannot hold FIFOs); release closes it.
held() {
  local name=$1; shift
  stamp "held $name"
  rm -f "/dev/shm/$name.in"; mkfifo "/dev/shm/$name.in"
  "$JAVA" "$@" --hold < "/dev/shm/$name.in" > "$name.out" 2> "$name.err" &
  HELD_JOB=$!
  exec 3> "/dev/shm/$name.in"
  HELD_PID=
  for _ in $(seq 1 600); do
    HELD_PID=$(sed -n 's/^READY pid=//p' "$name.out")
    [ -n "$HELD_PID" ] && break
    kill -0 "$HELD_JOB" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$HELD_PID" ]; then
    stamp "held $name: no READY line"
    echo "no READY" > "$name.rc"
    exec 3>&-
    kill "$HELD_JOB" 2>/dev/null
    wait "$HELD_JOB"
    return 1
  fi
}

# release NAME: ends the held engine (closes its stdin) and records its exit code
release() {
  local name=$1
  exec 3>&-
  wait "$HELD_JOB"
  echo $? > "$name.rc"
  rm -f "/dev/shm/$name.in"
  stamp "released $name"
}

# procdump PID FILE: per thread "tid<TAB>comm<TAB>Cpus_allowed_list<TAB>policy most numa_maps lines show",
# straight from the kernel, as evidence beside what check reports
procdump() {
  local pid=$1 file=$2 t
  : > "$file"
  for t in /proc/"$pid"/task/*; do
    printf '%s\t%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm")" \
      "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status")" \
      "$(awk '{print $2}' "$t/numa_maps" | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')" >> "$file"
  done 2>/dev/null
  # the process's pages per node, summed over every mapping
  awk '{for(i=3;i<=NF;i++) if ($i ~ /^N[0-9]+=/) {split($i,a,"="); s[a[1]]+=a[2]}} END {for (n in s) printf "%s=%d\n", n, s[n]}' \
    "/proc/$pid/numa_maps" | sort > "$file.pages"
}

# check NAME PID ARGS...: the agent's check command, text and JSON
check() {
  local name=$1 pid=$2; shift 2
  stamp "check $name"
  "$JAVA" "${JVM_FAST[@]}" -XX:+UseSerialGC -jar "$AGENT_JAR" check "$pid" "$@" > "$name.check.txt" 2> "$name.check.err"
  echo $? > "$name.check.rc"
  "$JAVA" "${JVM_FAST[@]}" -XX:+UseSerialGC -jar "$AGENT_JAR" check "$pid" --json "$@" > "$name.check.json" 2>> "$name.check.err"
  echo $? > "$name.check-json.rc"
}

# capture PID DIR: copies the /proc files check reads (cmdline, status, comm, numa_maps of the process
# and of each thread) to DIR/PID/..., laid out like /proc: how agent/src/test/resources/proc was made
# (CAPTURE_DIR=... when running a script by hand)
capture() {
  local pid=$1 dir=$2/$1 t f
  mkdir -p "$dir/task"
  for f in cmdline status numa_maps; do cat "/proc/$pid/$f" > "$dir/$f"; done
  for t in /proc/"$pid"/task/*; do
    mkdir -p "$dir/task/${t##*/}"
    for f in comm status numa_maps; do cat "$t/$f" > "$dir/task/${t##*/}/$f"; done
  done 2>/dev/null
}
