#!/usr/bin/env bash
# Stop the daemons .ci/slurm-up.sh STATE_DIR started, by the PIDs it recorded (slurmd first,
# then slurmctld, then munged if it started one). Safe to run twice.
set -uo pipefail

state_dir=${1:?usage: $0 STATE_DIR}
state_dir=$(cd "$state_dir" 2>/dev/null && pwd) || exit 0

# Running and still the daemon we started (not a zombie, not a recycled PID).
alive() {
    local pid=$1 name=$2
    [[ -r /proc/$pid/status ]] || return 1
    grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" && return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"
}

for name in slurmd slurmctld munged; do
    pid_file=$state_dir/$name.pid
    [[ -f $pid_file ]] || continue
    pid=$(<"$pid_file")
    if alive "$pid" "$name"; then
        kill -TERM "$pid"
        for _ in $(seq 40); do
            alive "$pid" "$name" || break
            sleep 0.25
        done
        alive "$pid" "$name" && kill -KILL "$pid"
    fi
    rm -f "$pid_file"
done
# Remove the /etc/slurm/slurm.conf link slurm-up.sh made, if it still points here.
if [[ -L /etc/slurm/slurm.conf && $(readlink /etc/slurm/slurm.conf) == "$state_dir/slurm.conf" ]]; then
    rm -f /etc/slurm/slurm.conf
fi
