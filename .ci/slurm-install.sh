#!/usr/bin/env bash
# Install a single-node SLURM (Debian's slurm-wlm) and munge, for the SLURM test and for trying
# the cluster profile on one machine. Needs root and Debian/Ubuntu's apt. Starts nothing: see
# .ci/slurm-up.sh.
set -euo pipefail
if command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
    && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends slurm-wlm munge
