"""
Title: Adversarial autoencoders
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Shape an autoencoder's code distribution to any prior with a discriminator on the codes.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have trained adversarial autoencoders
whose 2-D codes of MNIST digits follow a Gaussian prior and a mixture of
ten Gaussians, and you will have generated digits by decoding samples of
those priors.

The code `z = F(x)` of a plain autoencoder lands wherever training puts
it: nothing says which codes are used, so decoding a code picked at random
gives no digit. A variational autoencoder fixes the shape of the code
distribution with a KL term, but that term needs the prior's density in
closed form. The adversarial autoencoder (Makhzani, Shlens, Jaitly,
Goodfellow & Frey, ICLR 2016 workshop) uses a GAN instead: a discriminator
learns to tell codes of real images from samples of the prior `p(z)`, and
the encoder, playing the generator, learns to fool it. All it needs of the
prior is samples.

The first cell chooses the Keras backend; `"tensorflow"` or `"torch"`
work the same. `SMOKE` is set by CI to run the tutorial in seconds: it
only shrinks the epochs and the data, so at smoke size the numbers and the
pictures are meaningless.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import matplotlib.pyplot as plt
import numpy as np

from keras_aegan import applications
from keras_aegan import datasets
from keras_aegan import networks
from keras_aegan.models import AdversarialAutoencoder
from keras_aegan.models import Autoencoder
from keras_aegan.visualization import image_grid

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
EPOCHS = 1 if SMOKE else 30
TRAIN_EXAMPLES = 400 if SMOKE else None  # None: all 6,000
keras.utils.set_random_seed(0)  # the networks built outside the models
print("Keras backend:", keras.backend.backend())

"""
## Data

The 6,000 training and 1,000 test digits of `"mnist_sample"` ship with the
package. The decoders are Bernoulli, so pixels are in [0, 1].
"""

train = datasets.load(
    "mnist_sample",
    batch_size=100,
    pixel_range=(0, 1),
    seed=0,
    max_examples=TRAIN_EXAMPLES,
)
test_images, test_labels = datasets.load_arrays("mnist_sample", split="test")
test_x = test_images.astype("float32") / 255.0

"""
## A plain autoencoder, for comparison

We first train an `Autoencoder` with a 2-D code and the networks the
adversarial autoencoder uses by default: two dense layers of 512 units on
each side. It only minimizes the reconstruction error.
"""

autoencoder = Autoencoder(
    encoder=networks.dense_encoder(latent_dim=2, hidden_units=(512, 512)),
    decoder=networks.dense_decoder(latent_dim=2, hidden_units=(512, 512)),
    latent_dim=2,
    seed=0,
)
autoencoder.compile()
history = autoencoder.fit(train, epochs=EPOCHS, verbose=0)
print(f"reconstruction_loss: {history.history['reconstruction_loss'][-1]:.1f}")
ae_codes = applications.encode_images(autoencoder, test_x)

"""
## The adversarial autoencoder

Makhzani et al. (2016, eq. 1) call `q(z) = ∫ q(z | x) p_data(x) dx` the
*aggregated posterior*: the distribution of the codes of the data. The
adversarial autoencoder matches `q(z)` to the prior `p(z)`, and every
training step runs the paper's two phases (section 2):

1. *reconstruction*: the encoder and decoder minimize the reconstruction
   error (here the Bernoulli negative log-likelihood, in nats);
2. *regularization*: the discriminator `D` learns to separate prior
   samples from codes, `-E[log D(z)] - E[log(1 - D(F(x)))]`, then the
   encoder updates to fool it, `-E[log D(F(x))]` (the non-saturating loss
   of Goodfellow et al. 2014, section 3).

`AdversarialAutoencoder` writes these as three `keras_aegan.training.Update`s,
each with its own optimizer and its own variables, so `compile()` makes
three optimizers, named `autoencoder_optimizer`, `discriminator_optimizer`
and `generator_optimizer`. By default they are Adam(1e-3) for the
autoencoder and Adam(2e-4, β1 = 0.5) for the two adversarial updates.
With a 2-D code and 6,000 digits, those defaults let the discriminator win
in our runs (its accuracy reached 0.93 after 30 epochs) while the codes
spread far wider than the prior. Giving the two adversarial updates the
autoencoder's learning rate, Adam(1e-3, β1 = 0.5), kept the game balanced;
`compile()` takes optimizers by name.

The difference with a VAE: the KL term of a VAE pulls *each* posterior
`q(z | x)` towards the prior; the adversarial term only asks that the
codes, all together, look like the prior. The encoder here is
deterministic, each image has one code. (Makhzani et al. compare the two
on MNIST in their figure 2, panels c and d; we do not train a VAE here.)
"""


def adversarial_optimizers():
    return {
        "discriminator_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
        "generator_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
    }


gaussian_aae = AdversarialAutoencoder(latent_dim=2, prior="gaussian", seed=0)
gaussian_aae.compile(**adversarial_optimizers())
for update in gaussian_aae.train_updates():
    print(f"{update.optimizer}: {len(update.variables)} variables")
history = gaussian_aae.fit(train, epochs=EPOCHS, verbose=0)
print({name: round(v[-1], 3) for name, v in history.history.items()})

"""
`d_accuracy` is the discriminator's accuracy on prior samples and codes;
near 0.5 it can no longer tell them apart. The scatter plots below put the
codes of the 1,000 test digits, coloured by class, next to as many draws
of the prior (Makhzani et al. draw this comparison in their figure 2).
"""

prior_samples = np.asarray(
    keras.ops.convert_to_numpy(gaussian_aae.sample_prior(1000, seed=1))
)
gaussian_codes = applications.encode_images(gaussian_aae, test_x)


def scatter(ax, points, title, labels=None):
    """A scatter plot of 2-D points, coloured by digit when labels are
    given."""
    ax.set(title=title, xlabel="z[0]", ylabel="z[1]", aspect="equal")
    if labels is None:
        ax.scatter(points[:, 0], points[:, 1], c="0.4", s=4)
        return
    dots = ax.scatter(
        points[:, 0],
        points[:, 1],
        c=labels,
        cmap="tab10",
        s=4,
        vmin=-0.5,
        vmax=9.5,
    )
    ax.figure.colorbar(dots, ax=ax, ticks=range(10), label="digit")


def same_square(axes, *point_sets):
    """Gives the axes one square range that holds every point."""
    limit = 1.05 * max(np.abs(points).max() for points in point_sets)
    for ax in axes:
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit))


fig, axes = plt.subplots(1, 3, figsize=(16, 5))
scatter(axes[0], prior_samples, "samples of the prior N(0, I)")
scatter(axes[1], gaussian_codes, "adversarial autoencoder", test_labels)
scatter(axes[2], ae_codes, "plain autoencoder", test_labels)
same_square(axes[:2], prior_samples, gaussian_codes)
plt.tight_layout()
plt.show()

for name, codes in (("adversarial", gaussian_codes), ("plain", ae_codes)):
    print(
        f"{name} autoencoder codes: mean {np.round(codes.mean(0), 2)}, "
        f"covariance {np.round(np.cov(codes.T), 2).tolist()}"
    )

"""
The plain autoencoder's codes have a scale and a shape of their own, set
by nothing but the reconstruction: to sample from it we would first have
to model where its codes lie. The adversarial autoencoder's codes are
pulled toward the prior: compare their printed mean and covariance with
the prior's 0 and identity. After the smoke run's single epoch on 400
digits they are still far from it. In our full-size run (30 epochs) the
match was partial: the codes were offset by about (0.8, -0.8), narrower
than the prior, and the classes overlapped more than in the plain
autoencoder. In two dimensions, shaping the codes costs reconstruction:
compare the `reconstruction_loss` printed for each model.

## A non-Gaussian prior: a mixture of Gaussians

Any prior we can sample works. With `prior="mixture"` the prior is a
mixture of `num_components` Gaussians of standard deviation `prior_std`,
their means evenly spaced on a circle of radius `prior_radius` in the
first two code dimensions: ten petals for ten digits (Makhzani et al.,
figure 2b).
"""

mixture_aae = AdversarialAutoencoder(
    latent_dim=2, prior="mixture", num_components=10, seed=0
)
mixture_aae.compile(**adversarial_optimizers())
history = mixture_aae.fit(train, epochs=EPOCHS, verbose=0)
print({name: round(v[-1], 3) for name, v in history.history.items()})
mixture_codes = applications.encode_images(mixture_aae, test_x)
means = np.asarray(keras.ops.convert_to_numpy(mixture_aae.component_means()))
nearest = np.argmin(((mixture_codes[:, None] - means) ** 2).sum(-1), axis=1)
shares = np.bincount(nearest, minlength=10) / len(nearest)
print("share of test codes per component:", shares.round(3).tolist())

"""
A matched code distribution would put about a tenth of the codes nearest
to each component's mean: compare the shares printed above. Without labels nothing
ties a component to one class, though:
the adversarial term only shapes the code distribution, and which digits
share a petal is up to the encoder. (Makhzani et al., section 2.3, give
the discriminator the label as well to tie each class to its own petal.)

## Generating digits

`generate()` decodes prior samples. We decode eight draws of each mixture
component, one component per row, and a traversal of the code plane
across the circle with `applications.latent_traversal_grid`.
"""

rng = np.random.default_rng(0)
per_component = means[:, None] + mixture_aae.prior_std * rng.normal(
    size=(10, 8, 2)
)
digits = mixture_aae.decode(per_component.reshape(-1, 2).astype("float32"))
steps = 15
grid = applications.latent_traversal_grid(
    mixture_aae.decode, 2, extent=5.0, steps=steps
)
# The grid's rows run from z[1] = -5 at the top: reverse them so that z[1]
# grows upwards, as in the scatter plots.
grid = grid.reshape(steps, -1, *grid.shape[1:])[::-1].reshape(grid.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 6.5))
axes[0].imshow(
    image_grid(digits, (0, 1), columns=8), cmap="gray", vmin=0, vmax=255
)
axes[0].set_title("8 draws of each mixture component (one per row)")
axes[0].axis("off")
axes[1].imshow(
    grid[..., 0], cmap="gray", vmin=0, vmax=255, extent=(-5, 5, -5, 5)
)
axes[1].set(title="decoded grid of codes", xlabel="z[0]", ylabel="z[1]")
plt.tight_layout()
plt.show()

"""
In the full-size run, codes near a component's mean decode to one kind of
digit, and two components may decode to the same one; the centre of the circle, where
neither the prior nor the codes put mass, decodes to blends.

Last, the code distribution of the test digits against the mixture prior.
"""

mixture_prior = np.asarray(
    keras.ops.convert_to_numpy(mixture_aae.sample_prior(1000, seed=1))
)
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
scatter(axes[0], mixture_prior, "samples of the mixture prior")
scatter(axes[1], mixture_codes, "codes of 1,000 test digits", test_labels)
same_square(axes, mixture_prior, mixture_codes)
plt.tight_layout()
plt.show()

"""
In our full-size run the codes filled a ring of about the prior's radius,
but not its ten petals: the gaps between the components were filled in,
and the 1s sat in a tight blob inside the ring. Matching a multimodal
prior in two dimensions without labels is hard; the paper's figure 4 adds
the labels (section 2.3).

## Next steps

- Run this file again with `KERAS_BACKEND=torch` or `tensorflow`.
- Try a larger code (`latent_dim=8`, the default) for sharper
  reconstructions; then
  `applications.plot_latent_scatter` projects the codes on their first two
  principal components.
- The tutorial on writing your own generative model shows how to describe
  a training step like this one as a list of `Update`s.
"""
