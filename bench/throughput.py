"""Title: Training throughput of `fit()` beside hand-written loops, per backend
Author: keras_aegan developers
Date created: 2026-12-02
Last modified: 2026-12-02
Description: One command that measures and tabulates training speed.

For each model (DCGAN, WGAN-GP with `n_critic = 5` and its penalty, VAE,
CycleGAN at 64x64), each backend and each loop, one subprocess trains on
random images of the model's shape and reports:

- images per second (real images consumed), the median and the spread
  (min to max) over `--repeats` timed runs of `--steps` steps, after a
  warm-up (compilation) run that is not counted;
- the subprocess's peak resident memory;
- its share of the machine's float32 GEMM peak: the step's FLOPs, counted
  from the networks' dense and convolution layers (a call that is
  differentiated counts three forward passes, the penalty's
  double-backpropagation call five), over the time of a step, divided by
  the GEMM peak that this run measures first: the fastest float32 matrix
  product of 2048 x 2048 matrices (the best of 5) that NumPy or any of the
  backends reaches.

Loops: `fit()` in float32 and under `mixed_bfloat16` on every backend
(`fit_spe5`: with `compile(steps_per_execution=5)`, on TensorFlow and JAX),
and the peers of `bench/peers.py` in float32 on their own backend
(`tf_gradient_tape`, `tf_gradient_tape_xla`, `torch_loop`, `jax_loop`).
The networks, batch, optimizers and losses are the same for a model's
every loop (CycleGAN's peers keep no image pool, as keras.io's example
keeps none). The table goes to stdout and, with `--readme`, into
`bench/README.md` between its throughput markers; the raw rows to
`--json`.

    python bench/throughput.py --readme --json bench/results/throughput.json
"""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BACKENDS = ("tensorflow", "jax", "torch")
MODELS = ("dcgan", "wgan_gp", "vae", "cyclegan")
PEERS = {
    "tensorflow": ("tf_gradient_tape", "tf_gradient_tape_xla"),
    "jax": ("jax_loop",),
    "torch": ("torch_loop",),
}
# Rows per step: DCGAN and the VAE take batches of 128; WGAN-GP's five
# critic updates take 64 real rows each (320 per step); CycleGAN takes 4
# images of each domain at 64x64.
BATCH = {"dcgan": 128, "wgan_gp": 5 * 64, "vae": 128, "cyclegan": 4}
STEPS = {"dcgan": 10, "wgan_gp": 4, "vae": 20, "cyclegan": 3}
README_BEGIN = "<!-- throughput:begin -->"
README_END = "<!-- throughput:end -->"


def gemm_peak(size=2048, repeats=5):
    """Float32 FLOP/s of NumPy's matrix product, the best of `repeats`."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best


def backend_gemm_peak(size=2048, repeats=5):
    """Float32 FLOP/s of the active backend's matrix product (compiled on
    JAX), the best of `repeats`."""
    import keras
    from keras import ops

    rng = np.random.default_rng(0)
    a = ops.convert_to_tensor(rng.standard_normal((size, size), "float32"))
    b = ops.convert_to_tensor(rng.standard_normal((size, size), "float32"))
    matmul = ops.matmul
    if keras.backend.backend() == "jax":
        import jax

        matmul = jax.jit(ops.matmul)
    ops.convert_to_numpy(matmul(a, b))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = matmul(a, b)
        ops.convert_to_numpy(result[:1, :1])
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best


def forward_flops(model, batch):
    """Multiply-add FLOPs (2 per multiply-add) of one forward pass of a
    functional model on `batch` rows, from its Dense and convolution
    layers; nested models are counted through."""
    import keras

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_flops(layer, batch)
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * batch * layer.kernel.shape[0] * layer.units
        elif isinstance(layer, keras.layers.Conv2DTranspose):
            # Every input pixel meets every kernel tap.
            height, width = layer.input.shape[1:3]
            taps = int(np.prod(layer.kernel.shape))
            total += 2 * batch * height * width * taps
        elif isinstance(layer, keras.layers.Conv2D):
            height, width = layer.output.shape[1:3]
            taps = int(np.prod(layer.kernel.shape))
            total += 2 * batch * height * width * taps
    return total


def step_flops(model_name, nets, batch):
    """FLOPs of one training step (see the module docstring)."""
    if model_name == "vae":
        encoder, decoder = nets
        return 3 * (
            forward_flops(encoder, batch) + forward_flops(decoder, batch)
        )
    if model_name == "cyclegan":
        generator, discriminator = nets[0], nets[2]
        # Six differentiated generator calls (two translations, two cycles,
        # two identities), two discriminator calls in the generators'
        # update and four in the discriminators'.
        return 3 * (
            6 * forward_flops(generator, batch)
            + 6 * forward_flops(discriminator, batch)
        )
    generator, discriminator = nets
    if model_name == "dcgan":
        # D update: G forward, D on real and fake; G update: G and D.
        g, d = (
            forward_flops(generator, batch),
            forward_flops(discriminator, batch),
        )
        return g + 6 * d + 3 * g + 3 * d
    m = batch // 5
    g, d = forward_flops(generator, m), forward_flops(discriminator, m)
    critic = g + 3 * d + 3 * d + 5 * d
    return 5 * critic + 3 * g + 3 * d


def build(model_name):
    """The model of `fit()` (uncompiled), and its networks."""
    from keras_aegan import models

    if model_name == "dcgan":
        model = models.DCGAN(seed=0)
        return model, (model.generator, model.discriminator)
    if model_name == "wgan_gp":
        model = models.WGANGP(seed=0)
        return model, (model.generator, model.discriminator)
    if model_name == "vae":
        model = models.VAE(seed=0)
        return model, (model.encoder, model.decoder)
    model = models.CycleGAN(image_shape=(64, 64, 3), seed=0)
    nets = (
        model.generator_ab,
        model.generator_ba,
        model.discriminator_a,
        model.discriminator_b,
    )
    return model, nets


def images(model_name, rows):
    rng = np.random.default_rng(0)
    if model_name == "vae":
        return rng.uniform(0, 1, (rows, 28, 28, 1)).astype("float32")
    if model_name == "cyclegan":
        return rng.uniform(-1, 1, (rows, 64, 64, 3)).astype("float32")
    return rng.uniform(-1, 1, (rows, 28, 28, 1)).astype("float32")


def measure_fit(model, model_name, batch, steps, repeats, per_call=1):
    import keras

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds = time.perf_counter() - self.start

    model.compile(steps_per_execution=per_call)
    x = images(model_name, batch * steps)
    inputs = (x, x[::-1].copy()) if model_name == "cyclegan" else (x,)
    model.fit(*(a[:batch] for a in inputs), batch_size=batch, verbose=0)
    seconds = []
    for _ in range(repeats):
        timer = Timer()
        model.fit(*inputs, batch_size=batch, verbose=0, callbacks=[timer])
        seconds.append(timer.seconds / steps)
    return seconds


def measure_peer(loop, model, model_name, nets, batch, steps, repeats):
    import peers

    optimizers = model.default_optimizers()
    if model_name == "vae":
        ordered = [optimizers["optimizer"]]
    elif model_name == "cyclegan":
        ordered = [
            optimizers[f"{net}_optimizer"]
            for net in (
                "generator_ab",
                "generator_ba",
                "discriminator_a",
                "discriminator_b",
            )
        ]
    else:
        ordered = [
            optimizers["generator_optimizer"],
            optimizers["discriminator_optimizer"],
        ]
    latent_dim = getattr(model, "latent_dim", None)
    configs = [o.get_config() for o in ordered]
    settings = [(c["learning_rate"], c["beta_1"], c["beta_2"]) for c in configs]
    if model_name == "cyclegan":
        if loop.startswith("tf_"):
            step = peers.tf_cyclegan_step(nets, ordered, loop.endswith("xla"))
        elif loop == "jax_loop":
            step = peers.jax_cyclegan_step(nets, ordered)
        else:
            step = peers.torch_cyclegan_step(nets, settings)
    elif loop.startswith("tf_"):
        step = peers.tf_step(
            model_name, nets, ordered, latent_dim, loop.endswith("xla")
        )
    elif loop == "jax_loop":
        step = peers.jax_step(model_name, nets, ordered, latent_dim)
    else:
        step = peers.torch_step(model_name, nets, settings, latent_dim)
    x = images(model_name, batch * steps)
    batches = [x[i * batch : (i + 1) * batch] for i in range(steps)]
    if model_name == "cyclegan":
        # Pairs of an A batch and a B batch, as `fit(a, b)` takes them.
        y = x[::-1].copy()
        batches = [
            (a, y[i * batch : (i + 1) * batch]) for i, a in enumerate(batches)
        ]
    peers.finish(step(batches[0]))
    peers.finish(step(batches[1 % steps]))
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for b in batches:
            result = step(b)
        peers.finish(result)
        seconds.append((time.perf_counter() - start) / steps)
    return seconds


def child(args):
    """One (backend, model, loop, precision): prints one JSON row."""
    import keras

    if args.gemm:
        peak = backend_gemm_peak()
        print("ROW " + json.dumps({"gemm_flops": peak}), flush=True)
        return

    sys.path.insert(0, str(HERE))
    keras.utils.set_random_seed(0)
    if args.precision != "float32":
        keras.config.set_dtype_policy(args.precision)
    batch = BATCH[args.model]
    steps = args.steps or STEPS[args.model]
    model, nets = build(args.model)
    if args.loop.startswith("fit"):
        # `fit_spe5`: five steps per compiled call (`steps_per_execution`).
        per_call = (
            int(args.loop[len("fit_spe") :] or 1) if "spe" in args.loop else 1
        )
        seconds = measure_fit(
            model, args.model, batch, steps, args.repeats, per_call
        )
    else:
        seconds = measure_peer(
            args.loop, model, args.model, nets, batch, steps, args.repeats
        )
    rates = [batch / s for s in seconds]
    flops = step_flops(args.model, nets, batch)
    row = {
        "backend": keras.backend.backend(),
        "model": args.model,
        "loop": args.loop,
        "precision": args.precision,
        "batch": batch,
        "steps": steps,
        "images_per_s": [round(r, 2) for r in rates],
        "step_gflop": round(flops / 1e9, 3),
        "gflop_per_s": round(flops / float(np.median(seconds)) / 1e9, 2),
        "peak_rss_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
    }
    print("ROW " + json.dumps(row), flush=True)


def loops_of(backend, model_name):
    loops = [("fit", "float32"), ("fit", "mixed_bfloat16")]
    if backend != "torch":
        # Keras runs one step per call on PyTorch.
        loops += [("fit_spe5", "float32"), ("fit_spe5", "mixed_bfloat16")]
    loops += [(peer, "float32") for peer in PEERS[backend]]
    return loops


def run_child(backend, options):
    """Runs one child under `backend`; its JSON row, or None on failure."""
    command = [sys.executable, __file__, "--child", *options]
    env = dict(os.environ, KERAS_BACKEND=backend)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    found = [
        line[4:] for line in done.stdout.splitlines() if line.startswith("ROW ")
    ]
    if done.returncode or not found:
        tail = (done.stdout + done.stderr)[-2000:]
        print(f"FAILED {backend} {options}:\n{tail}", flush=True)
        return None
    return json.loads(found[0])


def run_all(args):
    # The machine's float32 GEMM peak: the fastest matrix product that
    # NumPy or any backend reaches here.
    peaks = {"numpy": gemm_peak()}
    for backend in args.backends:
        row = run_child(backend, ["--gemm"])
        if row:
            peaks[backend] = row["gemm_flops"]
    peak = max(peaks.values())
    for name, value in peaks.items():
        print(f"float32 GEMM, {name}: {value / 1e9:.1f} GFLOP/s", flush=True)
    rows = []
    model_names = args.models[::-1] if args.reverse else args.models
    for model_name in model_names:
        for backend in args.backends[::-1] if args.reverse else args.backends:
            for loop, precision in loops_of(backend, model_name):
                options = [
                    "--model",
                    model_name,
                    "--loop",
                    loop,
                    "--precision",
                    precision,
                    "--repeats",
                    str(args.repeats),
                ]
                if args.steps:
                    options += ["--steps", str(args.steps)]
                row = run_child(backend, options)
                if row is None:
                    continue
                row["gemm_peak_share"] = round(
                    row["gflop_per_s"] * 1e9 / peak, 4
                )
                rows.append(row)
                print(json.dumps(row), flush=True)
    return peaks, rows


def table(peaks, rows, command):
    """The markdown table: one row per model, backend and loop, and the
    ratio of `fit()` to the fastest float32 peer of the model."""
    cpu = platform.processor() or platform.machine()
    peak = max(peaks.values())
    measured = ", ".join(f"{k} {v / 1e9:.0f}" for k, v in peaks.items())
    lines = [
        f"{datetime.date.today().isoformat()}, {cpu}, "
        f"{os.cpu_count()} CPU cores, no GPU. float32 GEMM (2048 x 2048) "
        f"measured in the run, GFLOP/s: {measured}; the peak is the "
        f"fastest, {peak / 1e9:.0f}. Command:",
        "",
        "```",
        command,
        "```",
        "",
        "| model | backend | loop | precision | images/s, median (min-max) "
        "| / fastest peer, per round | GFLOP/step | share of GEMM peak "
        "| peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for model_name in MODELS:
        mine = [r for r in rows if r["model"] == model_name]
        if not mine:
            continue
        rounds = max(r.get("rounds", 1) for r in mine)

        def round_rates(row, k, rounds=rounds):
            # A merged row holds its rounds' timed runs back to back.
            rates = row["images_per_s"]
            size = len(rates) // row.get("rounds", 1)
            if row.get("rounds", 1) < rounds:
                return rates
            return rates[k * size : (k + 1) * size]

        fastest = []
        for k in range(rounds):
            peers = [
                float(np.median(round_rates(r, k)))
                for r in mine
                if not r["loop"].startswith("fit")
            ]
            fastest.append(max(peers) if peers else None)
        for r in mine:
            rates = r["images_per_s"]
            median = float(np.median(rates))
            # Each round against its own fastest peer: the machine's speed
            # drifts between rounds.
            ratio = ", ".join(
                f"{np.median(round_rates(r, k)) / fastest[k]:.2f}"
                for k in range(rounds)
                if fastest[k]
            )
            # FLOP/s at the median rate, over the peak.
            share = r["step_gflop"] * 1e9 * median / r["batch"] / peak
            lines.append(
                f"| {model_name} | {r['backend']} | `{r['loop']}` "
                f"| {r['precision']} | {median:.1f} ({min(rates):.1f}-"
                f"{max(rates):.1f}) | {ratio or '-'} | {r['step_gflop']:.2f} "
                f"| {100 * share:.1f} % | {r['peak_rss_mib']} |"
            )
    return "\n".join(lines)


def write_readme(text):
    readme = HERE / "README.md"
    content = readme.read_text()
    begin = content.index(README_BEGIN) + len(README_BEGIN)
    end = content.index(README_END)
    readme.write_text(content[:begin] + "\n" + text + "\n" + content[end:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=MODELS, default=MODELS)
    parser.add_argument(
        "--backends", nargs="+", choices=BACKENDS, default=BACKENDS
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--steps", type=int, default=None, help="steps per timed run"
    )
    parser.add_argument("--json", default=None, help="write the rows here")
    parser.add_argument("--readme", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--loop", help=argparse.SUPPRESS)
    parser.add_argument("--precision", help=argparse.SUPPRESS)
    parser.add_argument("--gemm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--merge",
        default=None,
        help="an earlier --json whose timed runs the new ones join",
    )
    parser.add_argument(
        "--reverse",
        action="store_true",
        help="measure the models in reverse order (for a second round)",
    )
    parser.add_argument(
        "--table-from",
        default=None,
        help="tabulate the rows of an earlier --json instead of measuring",
    )
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    command = "python bench/throughput.py " + " ".join(sys.argv[1:])
    if args.table_from:
        saved = json.loads(Path(args.table_from).read_text())
        peaks, rows = saved["gemm_flops"], saved["rows"]
        command = saved.get("command", command)
    else:
        peaks, rows = run_all(args)
    if args.merge:
        # Another round: each row's timed runs join the earlier round's,
        # so that a drift of the machine's speed between rounds shows in
        # the spread rather than between rows.
        saved = json.loads(Path(args.merge).read_text())
        key = ("model", "backend", "loop", "precision")
        earlier = {tuple(r[k] for k in key): r for r in saved["rows"]}
        for row in rows:
            old = earlier.pop(tuple(row[k] for k in key), None)
            if old is not None:
                row["images_per_s"] = old["images_per_s"] + row["images_per_s"]
                row["rounds"] = old.get("rounds", 1) + 1
        rows += list(earlier.values())
        rows.sort(
            key=lambda r: (
                MODELS.index(r["model"]),
                BACKENDS.index(r["backend"]),
            )
        )
        peaks = {
            k: max(peaks.get(k, 0), saved["gemm_flops"].get(k, 0))
            for k in set(peaks) | set(saved["gemm_flops"])
        }
        command = f"{saved.get('command', '')}; then {command}"
    text = table(peaks, rows, command.strip())
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {"command": command, "gemm_flops": peaks, "rows": rows},
                indent=1,
            )
        )
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
