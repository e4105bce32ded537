"""Title: WGAN-GP step time relative to DCGAN's
Author: keras_aegan developers
Date created: 2026-11-24
Last modified: 2026-11-24
Description: Times a WGAN-GP training step against a DCGAN step.

A WGAN-GP step runs `n_critic = 5` critic updates, each with a gradient
penalty that needs a second backward pass (double backpropagation), so it
is expected to cost several DCGAN steps. Both models use the same DCGAN
networks (the critic without batch normalization) on 28x28x1 images, with
their papers' optimizers. Run it on each backend:

    KERAS_BACKEND=jax python bench/bench_gan_steps.py --steps 20
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_aegan import models
from keras_aegan import networks


def step_time(model, images, batch_size, steps):
    """Median seconds per step over `steps` steps, after a warm-up epoch."""
    model.compile()
    x = images[: batch_size * steps]
    model.fit(x[:batch_size], batch_size=batch_size, epochs=1, verbose=0)
    timer = _StepTimer()
    model.fit(x, batch_size=batch_size, epochs=1, verbose=0, callbacks=[timer])
    return float(np.median(timer.durations))


class _StepTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.durations = []

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        # Logs are scalars of the finished step; reading one waits for it.
        float(logs["d_loss"])
        self.durations.append(time.perf_counter() - self._start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[5])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--base-filters", type=int, default=32)
    args = parser.parse_args()

    shape, latent = (28, 28, 1), 100
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (args.batch_size * args.steps, *shape))
    images = images.astype("float32")

    def generator():
        return networks.dcgan_generator(latent, shape, args.base_filters)

    def discriminator(batch_norm):
        return networks.dcgan_discriminator(
            shape, args.base_filters, batch_norm=batch_norm
        )

    dcgan = models.DCGAN(
        generator(), discriminator(True), latent_dim=latent, seed=0
    )
    wgangp = models.WGANGP(
        generator(), discriminator(False), latent_dim=latent, seed=0
    )
    dcgan_s = step_time(dcgan, images, args.batch_size, args.steps)
    wgangp_s = step_time(wgangp, images, args.batch_size, args.steps)
    result = {
        "backend": keras.backend.backend(),
        "batch_size": args.batch_size,
        "base_filters": args.base_filters,
        "dcgan_step_ms": round(1e3 * dcgan_s, 2),
        "wgangp_step_ms": round(1e3 * wgangp_s, 2),
        "wgangp_over_dcgan": round(wgangp_s / dcgan_s, 2),
        "wgangp_critic_updates_per_step": wgangp.discriminator_steps,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
