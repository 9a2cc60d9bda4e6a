#!/usr/bin/env bash
# A single-node SLURM cluster on localhost for the sweep integration test (Debian's slurm-wlm + munge).
#
#   scripts/slurm-cluster.sh install        apt-get install slurm-wlm munge (root, Debian/Ubuntu)
#   scripts/slurm-cluster.sh up   DIR       start munged, slurmctld and slurmd; config and state in DIR
#   scripts/slurm-cluster.sh down DIR       stop the daemons started by `up DIR`
#
# After `up`, use the cluster with `SLURM_CONF=DIR/slurm.conf sbatch …`. Needs root (slurmd runs as
# root on every SLURM node). Nothing outside DIR is changed except munge's run/log directories.
set -euo pipefail
cmd=${1:-}
dir=${2:-}

die() { echo "slurm-cluster: $*" >&2; exit 1; }

case "$cmd" in
install)
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then
    echo "slurm-wlm and munge already installed"; exit 0
  fi
  [ "$(id -u)" = 0 ] || die "installing slurm-wlm needs root (apt-get install slurm-wlm munge)"
  command -v apt-get >/dev/null || die "no apt-get: install slurm-wlm and munge with your package manager"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
  echo "installed: $(slurmctld -V)"
  ;;
up)
  [ -n "$dir" ] || die "usage: $0 up DIR"
  [ "$(id -u)" = 0 ] || die "a SLURM node needs root (slurmd runs as root)"
  for b in munged slurmctld slurmd sbatch squeue; do command -v $b >/dev/null || die "$b not found: run '$0 install'"; done
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  dir=$(cd "$dir" && pwd)
  # munge: a key (created once) and the daemon, running as the munge user with its default socket
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge && dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  if ! munge -n </dev/null >/dev/null 2>&1; then
    runuser -u munge -- munged --force
    for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n </dev/null | unmunge >/dev/null || die "munged did not start (see /var/log/munge/munged.log)"
  fi
  # the node is this machine under its short host name, reached at 127.0.0.1 (no DNS needed)
  host=$(hostname -s)
  hw=$(slurmd -C | head -1)
  cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
  cat >"$dir/slurm.conf" <<CONF
# single-node test cluster written by scripts/slurm-cluster.sh
ClusterName=wmkit-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldPort=${WMKIT_SLURMCTLD_PORT:-6817}
SlurmdPort=${WMKIT_SLURMD_PORT:-6818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -c -i
  slurmd -c
  for _ in $(seq 100); do
    state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
    case "$state" in idle*|mix*|alloc*) break ;; esac
    sleep 0.2
  done
  case "$state" in idle*|mix*|alloc*) ;; *) die "node $host is '${state:-unreachable}' (logs in $dir/log)" ;; esac
  echo "SLURM up: node $host ($cpus CPUs, $mem MB), partition test; export SLURM_CONF=$dir/slurm.conf"
  ;;
down)
  [ -n "$dir" ] || die "usage: $0 down DIR"
  for p in slurmd slurmctld; do
    if [ -s "$dir/$p.pid" ]; then kill "$(cat "$dir/$p.pid")" 2>/dev/null || true; fi
  done
  for _ in $(seq 50); do
    alive=0
    for p in slurmd slurmctld; do [ -s "$dir/$p.pid" ] && kill -0 "$(cat "$dir/$p.pid")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  echo "SLURM down"
  ;;
*)
  die "usage: $0 install | up DIR | down DIR"
  ;;
esac
