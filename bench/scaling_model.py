"""Title: A data-parallel scaling model, fed with this project's measurements
Author: keras_aegan developers
Date created: 2026-12-02
Last modified: 2026-12-02
Description: Predicted weak- and strong-scaling efficiency per model.

Per step of data-parallel training on N devices, every optimizer update
all-reduces its gradients before it applies them, and the next update
needs the new weights, so communication does not overlap the next phase's
compute (our training cores reduce each update's gradients in one
all-reduce after its backward pass):

    T(N) = T_compute(per-device batch) + sum over phases of A(S_p, N)
    A(S, N) = 2 (N - 1) / N * S / BW + 2 (N - 1) * alpha   (ring all-reduce)

with `S_p` the gradient bytes of phase `p` (float32 parameters of the
networks it updates) and `BW`, `alpha` the link's bandwidth and latency.
The phases: GAN one D and one G update; WGAN-GP `n_critic = 5` D updates
and one G update; CycleGAN one update of both generators and one of both
discriminators (two all-reduces covering its four parameter sets); VAE
one. Input time is taken as hidden by prefetching.

- Weak scaling (the per-device batch fixed): `E = T_compute / T(N)`.
- Strong scaling (the global batch fixed, split over N): compute taken as
  `T_compute(global) / N` (linear: an optimistic bound for small
  per-device batches), `E = T(1) / (N T(N))`.

Inputs: `T_compute` of `fit()` in float32 on one device, from
`bench/results/throughput.json` (the fastest backend per model), and the
parameter sizes of each shipped preset's networks. Since a GPU computes a
step far faster than these two CPU cores, the table also gives the
predictions for a step `--speedup` times faster (an assumption, stated in
the output), where communication weighs more.

    python bench/scaling_model.py --markdown docs/scaling.md
"""

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Bandwidth (bytes/s per device, ring all-reduce bus bandwidth) and
# latency per hop: round figures from the vendors' specifications.
LINKS = {
    "PCIe 4.0 x16": (25e9, 10e-6),
    "NVLink 4": (450e9, 5e-6),
    "TPU v4 ICI": (100e9, 5e-6),
    "100 GbE": (12.5e9, 20e-6),
    "10 GbE": (1.25e9, 50e-6),
}
DEVICES = (1, 2, 8, 64)
# Preset -> (throughput model, the networks each phase updates).
PRESETS = {
    "dcgan_mnist": (
        "dcgan",
        [["discriminator"], ["generator"]],
    ),
    "dcgan_cifar10": (
        "dcgan",
        [["discriminator"], ["generator"]],
    ),
    "vae_mnist": ("vae", [["encoder", "decoder"]]),
    "cyclegan_horse2zebra_64": (
        "cyclegan",
        [
            ["generator_ab", "generator_ba"],
            ["discriminator_a", "discriminator_b"],
        ],
    ),
}
# WGAN-GP has no shipped preset: the default 28x28 model.
WGAN_GP = ("wgan_gp", [["discriminator"]] * 5 + [["generator"]])


def all_reduce(size_bytes, devices, bandwidth, latency):
    if devices == 1:
        return 0.0
    hops = 2 * (devices - 1)
    return hops / devices * size_bytes / bandwidth + hops * latency


def phase_bytes(model, phases):
    return [
        4 * sum(getattr(model, net).count_params() for net in nets)
        for nets in phases
    ]


def step_seconds(rows, model_name):
    """The fastest float32 `fit()` step on one device, and its batch."""
    best = None
    for row in rows:
        if (
            row["model"] == model_name
            and row["loop"] == "fit"
            and row["precision"] == "float32"
        ):
            rates = sorted(row["images_per_s"])
            rate = rates[len(rates) // 2]
            seconds = row["batch"] / rate
            if best is None or seconds < best[0]:
                best = (seconds, row["batch"], row["backend"])
    return best


def efficiencies(compute, sizes, devices, link):
    bandwidth, latency = LINKS[link]
    comm = sum(all_reduce(s, devices, bandwidth, latency) for s in sizes)
    weak = compute / (compute + comm)
    strong_step = compute / devices + comm
    strong = compute / (devices * strong_step)
    return weak, strong


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--throughput", default=str(HERE / "results" / "throughput.json")
    )
    parser.add_argument("--speedup", type=float, default=100.0)
    parser.add_argument("--markdown", default=None)
    args = parser.parse_args()

    from keras_aegan import models
    from keras_aegan import presets

    rows = json.loads(Path(args.throughput).read_text())["rows"]
    entries = []
    for name, (model_name, phases) in PRESETS.items():
        model = presets.load(name, load_weights=False)
        entries.append((name, model_name, phase_bytes(model, phases)))
    entries.append(
        (
            "WGAN-GP, default 28x28",
            WGAN_GP[0],
            phase_bytes(models.WGANGP(), WGAN_GP[1]),
        )
    )
    lines = [
        "| model | phases | gradient MB per step | measured step (batch, "
        "backend) | link | weak E at 2 / 8 / 64 | strong E at 2 / 8 / 64 "
        f"| weak E at 8 / 64, step {args.speedup:g}x faster |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, model_name, sizes in entries:
        measured = step_seconds(rows, model_name)
        if measured is None:
            continue
        compute, batch, backend = measured
        for link in LINKS:
            weak = [efficiencies(compute, sizes, n, link)[0] for n in DEVICES]
            strong = [efficiencies(compute, sizes, n, link)[1] for n in DEVICES]
            fast = [
                efficiencies(compute / args.speedup, sizes, n, link)[0]
                for n in DEVICES
            ]
            lines.append(
                f"| {name} | {len(sizes)} | {sum(sizes) / 1e6:.1f} "
                f"| {compute * 1e3:.0f} ms ({batch}, {backend}) | {link} "
                f"| {weak[1]:.2f} / {weak[2]:.2f} / {weak[3]:.2f} "
                f"| {strong[1]:.2f} / {strong[2]:.2f} / {strong[3]:.2f} "
                f"| {fast[2]:.2f} / {fast[3]:.2f} |"
            )
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        path = Path(args.markdown)
        content = path.read_text()
        begin, end = (
            "<!-- scaling-model:begin -->",
            "<!-- scaling-model:end -->",
        )
        start = content.index(begin) + len(begin)
        path.write_text(
            content[:start] + "\n" + text + "\n" + content[content.index(end) :]
        )


if __name__ == "__main__":
    main()
