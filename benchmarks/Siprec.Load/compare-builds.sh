#!/bin/bash
# Interleaved A/B of siprec builds under the load harness: the same steps run on each build in turn, for ROUNDS rounds,
# so that the machine's noise falls on both alike; compare the rows per build (min/median over rounds).
#
#   benchmarks/Siprec.Load/compare-builds.sh STEPS HOLD ROUNDS PROGRAM...
#   e.g. benchmarks/Siprec.Load/compare-builds.sh 100,500 15s 2 /tmp/base/siprec.dll src/Siprec.Cli/bin/Release/net10.0/siprec.dll
#
# A PROGRAM is a siprec.dll (run under dotnet) or an executable wrapper (to set environment variables for one build).
set -euo pipefail
if [ $# -lt 4 ]; then sed -n '2,7p' "$0"; exit 2; fi
steps=$1; hold=$2; rounds=$3; shift 3
harness="$(dirname "$0")/bin/Release/net10.0/Siprec.Load.dll"
for round in $(seq 1 "$rounds"); do
  for program in "$@"; do
    echo "=== round $round: $program (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    dotnet "$harness" --steps "$steps" --hold "$hold" --siprec "$program" --timeout 15m | grep -E '^\| embedded|failure|stopping' || true
  done
done
