"""
Title: Write your own generative model
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Subclass GenerativeModel, describe its training step as Updates, and fit it on any backend.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have written a new two-optimizer
generative model, a relativistic GAN, trained it with `compile()` and
`fit()`, and saved and reloaded it with the state of both optimizers.

Keras's "Customizing what happens in `fit()`" guides override
`train_step` and take the gradients themselves, with `tf.GradientTape`,
`jax.value_and_grad` or `loss.backward()`: one `train_step` per backend. A
`keras_aegan.models.GenerativeModel` *describes* its step instead, as an
ordered list of `keras_aegan.training.Update`s (a loss written in
`keras.ops`, the name of an optimizer, the variables it moves), and a
training core per backend turns that list into gradients and optimizer
steps. The same model therefore trains on every backend.

The first cell chooses the Keras backend; `"tensorflow"` or `"torch"`
work the same. `SMOKE` is set by CI to run the tutorial in seconds: it
only shrinks the epochs and the data, so at smoke size the samples are
noise.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import tempfile

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from keras_aegan import datasets
from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.models import GenerativeModel
from keras_aegan.training import Update
from keras_aegan.visualization import image_grid

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
EPOCHS = 1 if SMOKE else 12
TRAIN_EXAMPLES = 128 if SMOKE else None  # None: all 6,000
keras.utils.set_random_seed(0)  # the networks' initial weights
print("Keras backend:", keras.backend.backend())

"""
## The hooks

A subclass of `GenerativeModel` fills in a few hooks, named by what they
are:

- `default_optimizers()`: a dict from optimizer names to fresh optimizers,
  the defaults of the model's paper. `compile()` builds them, and takes
  any of them by name to override it.
- `optimizer_targets()`: the same names, mapped to the variables each
  optimizer moves.
- `train_updates()`: the ordered `Update`s of one training step.
- the `*_loss(x, y)` callables of the updates: the batch in,
  `(scalar_loss, logs)` out. The core differentiates the loss with respect
  to the update's variables only; everything else is held constant.
- `log_names`: the scalars the losses log, which `fit()` averages over an
  epoch.
- `get_config()`: the constructor's arguments, for saving.

An `Update` also takes `repeats` (`k` discriminator steps per generator
step, Goodfellow et al. 2014, algorithm 1), `batch_per_repeat` (a fresh
minibatch for each of them) and `after_apply` (a hook run after each
optimizer step, such as WGAN's weight clipping).

## A new model: the relativistic average GAN

The discriminator of the original GAN rates each image alone:
`D(x) = sigmoid(C(x))`, with `C` the network's logit. Jolicoeur-Martineau
(ICLR 2019) asks it instead how much more realistic a real image is than
the generated ones on average (RaSGAN):

```
D_real = sigmoid(C(x_real) - mean C(x_fake))
D_fake = sigmoid(C(x_fake) - mean C(x_real))
L_D = -E[log D_real] - E[log(1 - D_fake)]
L_G = -E[log D_fake] - E[log(1 - D_real)]
```

The generator's loss is the discriminator's with real and fake swapped, so
the generator also gains by making real images look *less* real
than its own: unlike the original GAN, its loss depends on the real
batch. An update's loss receives the batch, so this needs no extra plumbing.

The class below is the whole model. Its default networks are the library's
DCGAN networks (Radford et al. 2016) with half their default filters, so
that it trains on a CPU in minutes.
"""


@keras.saving.register_keras_serializable(package="tutorial")
class RelativisticGAN(GenerativeModel):
    """Relativistic average standard GAN (Jolicoeur-Martineau 2019)."""

    log_names = ("d_loss", "g_loss")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=64,
        discriminator_steps=1,
        seed=None,
        **kwargs,
    ):
        # The generator's tanh fixes the pixel range.
        super().__init__(
            image_shape, pixel_range=(-1.0, 1.0), seed=seed, **kwargs
        )
        self.latent_dim = int(latent_dim)
        self.discriminator_steps = int(discriminator_steps)
        self.generator = generator or networks.dcgan_generator(
            self.latent_dim, self.image_shape, base_filters=32
        )
        self.discriminator = discriminator or networks.dcgan_discriminator(
            self.image_shape, base_filters=32
        )
        self.built = True

    # -- The training step, as updates -----------------------------------

    def default_optimizers(self):
        def adam():
            return keras.optimizers.Adam(2e-4, beta_1=0.5)

        return {
            "discriminator_optimizer": adam(),
            "generator_optimizer": adam(),
        }

    def optimizer_targets(self):
        return {
            "discriminator_optimizer": self.discriminator.trainable_variables,
            "generator_optimizer": self.generator.trainable_variables,
        }

    def train_updates(self):
        return [
            Update(
                "discriminator_optimizer",
                self.discriminator.trainable_variables,
                self.discriminator_loss,
                repeats=self.discriminator_steps,
            ),
            Update(
                "generator_optimizer",
                self.generator.trainable_variables,
                self.generator_loss,
            ),
        ]

    def relativistic_logits(self, images):
        """`C(x_real) - mean C(x_fake)` and `C(x_fake) - mean C(x_real)`."""
        z = self.latent_noise((ops.shape(images)[0], self.latent_dim))
        fake = self.generator(z, training=True)
        real_scores = self.discriminator(images, training=True)
        fake_scores = self.discriminator(fake, training=True)
        return (
            real_scores - ops.mean(fake_scores),
            fake_scores - ops.mean(real_scores),
        )

    def discriminator_loss(self, images, labels=None):
        real, fake = self.relativistic_logits(images)
        # -E[log sigmoid(real)] - E[log(1 - sigmoid(fake))], from logits.
        d_loss = losses.minimax_discriminator_loss(real, fake)
        return d_loss, {"d_loss": d_loss}

    def generator_loss(self, images, labels=None):
        real, fake = self.relativistic_logits(images)
        g_loss = losses.minimax_discriminator_loss(fake, real)  # swapped
        return g_loss, {"g_loss": g_loss}

    # -- Sampling and saving ----------------------------------------------

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def generate(self, num_samples, seed=None):
        z = self.latent_noise((num_samples, self.latent_dim), seed=seed)
        return self.generator.predict(ops.convert_to_numpy(z), verbose=0)

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]  # not an argument of this constructor
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(
                    self.generator
                ),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "latent_dim": self.latent_dim,
                "discriminator_steps": self.discriminator_steps,
            }
        )
        return config


"""
A few rules keep a loss valid on every backend:

- write it in `keras.ops`, so that the same code traces under
  `tf.function`, `jax.jit` and PyTorch;
- draw noise with `self.latent_noise` (or `self.uniform_noise`), which use
  the model's `SeedGenerator`: JAX's core threads its state through the
  jitted step, and a seed makes runs repeatable;
- change state only through Keras variables, never Python attributes.

`GenerativeModel.from_config` rebuilds the networks from their serialized
configs, so `get_config` only has to return the constructor's arguments.
`register_keras_serializable` lets `load_model` find the class by name
(the library's own models are registered under `keras_aegan` by its
`keras_aegan_export` decorator).

## Training

The losses are plain functions of a batch, which makes them easy to test
before any training. If the discriminator gave every image the same
score, every relativistic logit would be 0 and both losses would equal
`2 log 2 = 1.386`, the dashed line of the curves below.
"""

gan = RelativisticGAN(seed=0)
train = datasets.load(
    "mnist_sample",
    batch_size=64,
    pixel_range=(-1, 1),
    seed=0,
    max_examples=TRAIN_EXAMPLES,
)
batch = next(iter(train))
for loss in (gan.discriminator_loss, gan.generator_loss):
    value, logs = loss(batch)
    print(f"{loss.__name__}: {ops.convert_to_numpy(value):.3f}")

"""
The untrained discriminator does not: its random weights already score
real digits and generated images differently. Write `c` for the mean
fake score minus the mean real score. The discriminator's loss is a mean
of `softplus` terms whose arguments average `c`, the generator's a mean
of terms whose arguments average `-c`, so by Jensen's inequality
(`softplus` is convex) they are at least `2 softplus(c)` and
`2 softplus(-c)`. Their sum is therefore at least `4 log 2`, and when
`c > 0` the discriminator's loss is above `2 log 2` while the generator's
bound falls below it (for `c < 0` the two swap roles).
"""

gan.compile()  # both Adam(2e-4, beta_1=0.5), from default_optimizers()
history = gan.fit(train, epochs=EPOCHS, verbose=0)
print({name: round(values[-1], 3) for name, values in history.history.items()})

fig, ax = plt.subplots(figsize=(7, 3.5))
for name in gan.log_names:
    ax.plot(history.history[name], marker="o", label=name)
ax.axhline(2 * np.log(2), color="k", lw=0.8, ls="--", label="2 log 2")
ax.set(xlabel="epoch", ylabel="loss (epoch mean)", title="RaSGAN training")
ax.legend()
plt.tight_layout()
plt.show()

"""
In our full-size run (12 epochs) the discriminator won: its loss stayed
far below `2 log 2` throughout and the generator's loss rose over the last
epochs. We did not measure why. A likely reason is the data: 6,000 digits,
seen twelve times, are few enough for a discriminator to start memorizing
them, the overfitting that Karras et al. (2020) find with small data sets.
A lower discriminator learning rate, or a differentiable augmentation of
the discriminator's inputs (DiffAugment, Zhao et al. 2020; the library's
GANs take one as `augment=`), is the first thing to try.

`compile()` accepts any optimizer by name, e.g.
`gan.compile(generator_optimizer=keras.optimizers.Adam(1e-4))`, and
refuses a name that `default_optimizers()` does not list.

## Saving and reloading

A `.keras` file holds the config, the weights, the state of every
optimizer under its name, and the state of the model's seed generator. We
write it to a temporary folder and reload it.
"""

path = os.path.join(tempfile.mkdtemp(), "relativistic_gan.keras")
gan.save(path)
restored = keras.saving.load_model(path)

for name in restored.optimizer.names:
    before = [ops.convert_to_numpy(v) for v in gan.optimizer[name].variables]
    after = [
        ops.convert_to_numpy(v) for v in restored.optimizer[name].variables
    ]
    same = all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    steps = int(ops.convert_to_numpy(restored.optimizer[name].iterations))
    print(f"{name}: {steps} steps, {len(after)} state variables, equal: {same}")
print(
    "same samples:",
    np.allclose(gan.generate(16, seed=1), restored.generate(16, seed=1)),
)

"""
Both optimizers come back with their step counts and Adam moments, so
training goes on where it stopped rather than from a cold optimizer.
The reloaded model trains one more epoch.
"""

restored.fit(train, epochs=1, verbose=0)
print(
    "generator steps after one more epoch:",
    int(
        ops.convert_to_numpy(
            restored.optimizer["generator_optimizer"].iterations
        )
    ),
)

samples = restored.generate(64, seed=0)
plt.figure(figsize=(6, 6))
plt.imshow(
    image_grid(samples, (-1, 1), columns=8)[..., 0],
    cmap="gray",
    vmin=0,
    vmax=255,
)
plt.title("RaSGAN samples after reloading")
plt.axis("off")
plt.show()

"""
## Next steps

- Run this file again with `KERAS_BACKEND=torch` or `tensorflow`: the
  class does not change.
- Set `discriminator_steps=2` to run two discriminator updates per
  generator update, or pass your own `generator=` and `discriminator=`
  networks: any functional Keras models with the same inputs and outputs.
- Read `keras_aegan/models/gan/adversarial_model.py`: the library's GANs
  share one such step, and a new GAN loss there only overrides
  `discriminator_objective` and `generator_objective`.
"""
