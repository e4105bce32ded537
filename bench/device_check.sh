#!/usr/bin/env bash
# The check to run on a GPU or TPU machine, when a session is lent one:
# which accelerator each backend sees, then DCGAN and WGAN-GP training
# throughput (fit() in float32 and mixed_bfloat16, beside the hand-written
# loops) for 100 steps per timed run, through bench/throughput.py. Results
# go to $OUT (default bench/results/device); add them to bench/README.md.
#
#   OUT=/tmp/device bash bench/device_check.sh
#
# Not yet run: no session of this project has been lent a device machine.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/device}
mkdir -p "$OUT"
(nvidia-smi || true) > "$OUT/nvidia-smi.txt" 2>&1
for backend in tensorflow jax torch; do
  KERAS_BACKEND=$backend python - <<'PY' >> "$OUT/devices.txt" 2>&1
import keras
from keras import distribution
print(keras.backend.backend(), distribution.list_devices())
PY
done
python bench/throughput.py --models dcgan wgan_gp --steps 100 --repeats 2 \
  --json "$OUT/throughput.json" | tee "$OUT/throughput.md"
