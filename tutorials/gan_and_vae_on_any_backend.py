"""
Title: A VAE and a DCGAN that train on TensorFlow, JAX and PyTorch
Author: keras_aegan developers
Date created: 2026/11/24
Last modified: 2026/11/24
Description: Train a variational autoencoder and a DCGAN with fit() on any Keras backend.
"""

"""
## Introduction

The keras.io generative examples write their training step with
`tf.GradientTape`, so they run on TensorFlow only. The models of
`keras_aegan` write their losses once, in `keras.ops`, and leave gradients
to a small training core with one module per backend. The same script
therefore trains on TensorFlow, JAX or PyTorch: set `KERAS_BACKEND` before
Keras is imported.

This tutorial trains both models on the 6,000 MNIST digits that ship with
the package, so it runs offline, in a few minutes on a CPU.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np

from keras_aegan import datasets
from keras_aegan.models import DCGAN
from keras_aegan.models import VAE
from keras_aegan.visualization import save_image_grid

print("Keras backend:", keras.backend.backend())

"""
## Data

`datasets.load` returns a `tf.data` pipeline scaled to the pixel range a
model expects: [0, 1] for the VAE's Bernoulli decoder, [-1, 1] for the
`tanh` output of the DCGAN generator. `tf.data` feeds `fit()` on all three
backends.
"""

vae_data = datasets.load("mnist_sample", batch_size=128, pixel_range=(0, 1))
gan_data = datasets.load("mnist_sample", batch_size=128, pixel_range=(-1, 1))

"""
## A variational autoencoder

`VAE` maximizes the evidence lower bound of Kingma & Welling (2014). Its
logs hold the negative ELBO (`loss`) and its two terms, in nats.
`compile()` without arguments uses Adam(1e-3). Like `predict()`,
`reconstruct()` and `generate()` run in batches without gradients and
return NumPy arrays on every backend.
"""

vae = VAE(image_shape=(28, 28, 1), latent_dim=16, seed=0)
vae.compile()
vae.fit(vae_data, epochs=5, verbose=2)

test_images, _ = datasets.load_arrays("mnist_sample", split="test")
test_images = test_images[:8].astype("float32") / 255.0
reconstructions = vae.reconstruct(test_images)
save_image_grid(
    np.concatenate([test_images, reconstructions]),
    "vae_reconstructions.png",
    pixel_range=(0, 1),
    columns=8,
)
save_image_grid(vae.generate(64, seed=0), "vae_samples.png", (0, 1))

"""
## A DCGAN

`DCGAN` has two networks and two optimizers, both Adam(2e-4, beta_1=0.5) as
in Radford et al. (2016). Each step updates the discriminator
`discriminator_steps` times, then the generator. Pass your own optimizers
by name to override the defaults.
"""

gan = DCGAN(image_shape=(28, 28, 1), latent_dim=100, seed=0)
gan.compile(
    generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)
gan.fit(gan_data, epochs=10, verbose=2)
save_image_grid(gan.generate(64, seed=0), "dcgan_samples.png", (-1, 1))

"""
## Saving and going on

A `.keras` file holds the networks, the state of both optimizers and the
seed generator, so training continues where it stopped. The same seed gives
the same samples.
"""

gan.save("dcgan.keras")
restored = keras.saving.load_model("dcgan.keras")
same = np.allclose(gan.generate(4, seed=1), restored.generate(4, seed=1))
print("Same samples after reloading:", same)
restored.fit(gan_data, epochs=1, verbose=2)

"""
## Next steps

- Run this file again with `KERAS_BACKEND=torch` or `tensorflow`.
- From a terminal: `keras-aegan train dcgan --dataset mnist_sample
  --epochs 20 --out runs/dcgan`, then `keras-aegan generate runs/dcgan
  --out grid.png`.
"""
