#!/usr/bin/env bash
# Quality of mixed_bfloat16 training against float32: the same DCGAN run
# (MNIST, the same seed and the same number of steps) in each precision,
# scored with `keras-aegan evaluate` (10,000 samples against the 10,000
# test digits, on mnist_classifier features). Writes runs under $OUT and
# each score as JSON; bench/README.md gives the result.
#
#   OUT=/tmp/bf16 EPOCHS=2 bash bench/bf16_quality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/bf16_quality}
EPOCHS=${EPOCHS:-2}
DATA=${DATA:-../shared/data}
BACKEND=${BACKEND:-tensorflow}
mkdir -p "$OUT"
for precision in float32 bfloat16; do
  flag=()
  [ "$precision" = bfloat16 ] && flag=(--mixed-precision bfloat16)
  start=$(date +%s)
  keras-aegan train dcgan --backend "$BACKEND" --dataset mnist \
    --data-dir "$DATA" --epochs "$EPOCHS" --batch-size 128 --seed 0 \
    --out "$OUT/$precision" --verbose 2 "${flag[@]}"
  echo "$precision training: $(( $(date +%s) - start )) s" | tee -a "$OUT/times.txt"
  keras-aegan evaluate "$OUT/$precision" --backend "$BACKEND" \
    --dataset mnist --data-dir "$DATA" --seed 0 \
    --json "$OUT/$precision.json"
done
