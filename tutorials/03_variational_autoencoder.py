"""
Title: The variational autoencoder
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Train a VAE, read its ELBO, weigh its KL term with beta and estimate its log-likelihood.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have trained three variational
autoencoders on MNIST digits, drawn new digits from them, estimated their
log-likelihood by importance sampling, and looked at a 2-D latent space.

An autoencoder encodes an image `x` into a code `z = F(x)` and decodes it
back with `G(z)`. The variational autoencoder (Kingma & Welling, ICLR 2014)
makes both random: the encoder gives a distribution `q(z | x)`, the decoder
a distribution `p(x | z)`, and a prior `p(z) = N(0, I)` fixes once and for
all the shape of the code distribution. Decoding a draw of the prior is
then a way to generate new images.

The first cell chooses the Keras backend; `"tensorflow"` or `"torch"`
work the same. `SMOKE` is set by CI to run the tutorial in seconds: it
only shrinks the epochs and the sample counts, so at smoke size the
numbers are meaningless.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

from keras_aegan import applications
from keras_aegan import datasets
from keras_aegan import metrics
from keras_aegan import networks
from keras_aegan.models import VAE
from keras_aegan.visualization import image_grid

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
EPOCHS = 1 if SMOKE else 40
TRAIN_EXAMPLES = 1000 if SMOKE else None  # None: all 6,000
NUM_SCORED = 100 if SMOKE else 500
K_VALUES = (1, 10) if SMOKE else (1, 10, 100, 1000)
keras.utils.set_random_seed(0)  # the networks built below, outside VAE()
print("Keras backend:", keras.backend.backend())

"""
## Data

`"mnist_sample"` ships with the package: 6,000 training and 1,000 test
digits. The VAE's Bernoulli decoder wants pixels in [0, 1].
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
## The evidence lower bound

The log-likelihood `log p(x) = log ∫ p(x | z) p(z) dz` has no closed form
for a neural decoder. Kingma & Welling (2014, eq. 3) bound it from below
with any encoder `q(z | x)`:

```
log p(x) >= ELBO(x) = E_q(z|x)[log p(x | z)] - KL(q(z | x) || p(z))
```

The first term rewards good reconstructions; the second keeps each
posterior close to the prior, which regularizes the code. The gap is
`KL(q(z | x) || p(z | x))`, so raising the bound through the encoder's
weights also makes `q` a better approximation of the true posterior. With
a diagonal Gaussian `q(z | x) = N(mu(x), diag(sigma²(x)))` (eq. 9) and the
standard normal prior, the KL term has a closed form (appendix B); the
reconstruction term is estimated with one draw of `z` per example
(eq. 10).

**The reparameterization trick** (section 2.4) makes that draw
differentiable: `z = mu + sigma * eps` with `eps ~ N(0, I)`, so the noise
comes from outside the network and gradients flow through `mu` and
`sigma`. `VAE.sample_posterior` implements it, and `VAE.elbo_terms` is the
loss the training core differentiates on every backend.

Kingma & Welling's MNIST networks are MLPs with 500 hidden units
(appendix C); we keep their size, with ReLU for their tanh. We build the
encoder ourselves, because `VAE` takes any network that maps images to
`[z_mean, z_log_var]`; the decoder is the library's `dense_decoder`, which
outputs Bernoulli logits. MLPs also train fast on a CPU.
"""


def mlp_encoder(latent_dim, hidden_units=500):
    images = keras.Input((28, 28, 1))
    h = layers.Dense(hidden_units, activation="relu")(layers.Flatten()(images))
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    # Zeros: every posterior starts with unit variance.
    z_log_var = layers.Dense(latent_dim, kernel_initializer="zeros")(h)
    return keras.Model(images, [z_mean, z_log_var], name="encoder")


def make_vae(latent_dim, beta=1.0):
    return VAE(
        encoder=mlp_encoder(latent_dim),
        decoder=networks.dense_decoder(latent_dim, hidden_units=(500,)),
        latent_dim=latent_dim,
        beta=beta,
        seed=0,
    )


LATENT_DIM = 32
vae = make_vae(LATENT_DIM)
vae.compile()  # Adam(1e-3)
history = vae.fit(train, epochs=EPOCHS, verbose=0)
for name, values in history.history.items():
    print(f"{name}: {values[0]:.1f} -> {values[-1]:.1f} nats per image")

"""
The logs are per image (summed over its 784 pixels, averaged over the
images), in nats, on the grey-level training digits, the first epoch's
average and the last's: `loss` is the negative ELBO, the sum of
`reconstruction_loss` (the Bernoulli negative log-likelihood) and
`kl_loss`. The pixels are grey levels, not binary: for a fixed code, the
Bernoulli cross-entropy of a grey level `p` equals the negative
log-likelihood averaged over binary pixels drawn with probability `p`, so
training on grey levels trains on every binarization at once.

`reconstruct()` decodes the posterior mean; `generate()` decodes draws of
the prior. Both return NumPy arrays on every backend.
"""

reconstructions = vae.reconstruct(test_x[:10])
samples = vae.generate(40, seed=1)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
axes[0].imshow(
    image_grid(
        np.concatenate([test_x[:10], reconstructions]), (0, 1), columns=10
    ),
    cmap="gray",
    vmin=0,
    vmax=255,
)
axes[0].set_title("test digits (top), reconstructions (bottom)")
axes[1].imshow(
    image_grid(samples, (0, 1), columns=10), cmap="gray", vmin=0, vmax=255
)
axes[1].set_title("decoded draws of the prior N(0, I)")
for ax in axes:
    ax.axis("off")
plt.tight_layout()
plt.show()

"""
## How good is the bound? Importance sampling

The ELBO is only a lower bound. Burda, Grosse & Salakhutdinov (ICLR 2016,
eq. 8) tighten it with `k` posterior draws `z_1 .. z_k ~ q(z | x)`:

```
L_k(x) = log (1/k) sum_i p(x | z_i) p(z_i) / q(z_i | x)
```

`L_1` is the ELBO, `L_k` grows with `k` and tends to `log p(x)` (their
theorem 1); the paper reports `k = 5000`. `metrics.importance_sampled_nll`
computes the mean of `-L_k` with the benchmark's protocol: the test digits
are dynamically binarized (each pixel is 1 with probability equal to its
grey level, seeded, so every backend scores the same images). Its
numbers are per image, in nats, on the first `NUM_SCORED` test digits
(500; 100 at smoke size), so they are not the training logs above, which
average grey-level training digits.
"""


def nll_curve(model):
    return [
        metrics.importance_sampled_nll(
            model, test_images, k=k, num_images=NUM_SCORED, seed=0
        )
        for k in K_VALUES
    ]


nll = {"beta = 1": nll_curve(vae)}
for k, value in zip(K_VALUES, nll["beta = 1"], strict=True):
    print(f"-L_{k}: {value:.2f} nats per image")

"""
The estimate falls as `k` grows: the single-sample bound understates the
likelihood the model really assigns. The gap between `-L_1` and the largest
`k` is a lower estimate of what the encoder's approximation costs. (Published numbers are for
60,000 training digits and `k = 5000`; ours come from 6,000 digits.)

## Weighing the KL term: beta

Higgins et al. (ICLR 2017, eq. 4) multiply the KL term by `beta > 1`. A
stronger pull towards the prior squeezes information out of the code:
reconstructions get worse, and latent dimensions that are not worth their
KL cost switch off. Burda et al. (2016, section 5.2) count the *active
units*: a dimension `u` is active when `A_u = Cov_x(E_q[u | x]) > 0.01`.

So that the numbers below can be compared with each other, all of them
are per image, in nats, on the same binarized test digits that `-L_k`
scores (`metrics.dynamically_binarize` with the same seed). `evaluate()`
gives the two terms with one posterior draw; their sum, reconstruction
plus KL with weight 1, is the negative ELBO `-L_1` of either model, also
for beta = 4, whose training loss weighs KL four times.
"""

beta_vae = make_vae(LATENT_DIM, beta=4.0)
beta_vae.compile()
beta_vae.fit(train, epochs=EPOCHS, verbose=0)
nll["beta = 4"] = nll_curve(beta_vae)

scored = metrics.dynamically_binarize(test_images[:NUM_SCORED], seed=0)
activity = {}
for name, model in (("beta = 1", vae), ("beta = 4", beta_vae)):
    logs = model.evaluate(scored, batch_size=100, verbose=0, return_dict=True)
    rec, kl = logs["reconstruction_loss"], logs["kl_loss"]
    z_mean, _ = model.encode(test_x)
    activity[name] = np.var(z_mean, axis=0)
    active = int(np.sum(activity[name] > 0.01))
    print(
        f"{name}, nats per image: reconstruction {rec:.1f} + KL {kl:.1f} "
        f"= -ELBO {rec + kl:.1f}; -L_{K_VALUES[-1]} {nll[name][-1]:.1f}; "
        f"{active} active units of {LATENT_DIM}"
    )

"""
`evaluate()` runs the same loss without updating the weights; the active
units are counted on the posterior means of all 1,000 grey-level test
digits. The stronger pull should make the β-VAE trade reconstruction
for a smaller KL term, switch off some units, and pay for it in
likelihood (a larger `-L_k`); at smoke size, after one epoch, the
numbers mean little and every unit may still look active. With
β > 1 the training objective is still a lower bound on `log p(x)`, but a
looser one than the ELBO, which only β = 1 maximizes.
"""

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for name, curve in nll.items():
    axes[0].plot(K_VALUES, curve, "o-", label=name)
axes[0].set(xscale="log", xlabel="importance samples k", ylabel="-L_k (nats)")
axes[0].set_title("importance-sampled NLL (Burda et al. 2016)")
axes[0].legend()
for offset, (name, a) in zip((-0.2, 0.2), activity.items(), strict=True):
    axes[1].bar(
        np.arange(LATENT_DIM) + offset, np.sort(a)[::-1], width=0.4, label=name
    )
axes[1].axhline(0.01, color="k", lw=0.8, ls="--")
axes[1].set(
    yscale="log",
    ylim=(1e-3, 10),
    xlabel="latent dimensions, most active first",
    ylabel="A_u",
)
axes[1].set_title("activity of each latent dimension (dashed: 0.01)")
axes[1].legend(loc="upper right")
plt.tight_layout()
plt.show()

"""
## The latent space

With a 2-D code the whole latent space fits on a page (Kingma & Welling
2014, figure 4). We train a third VAE with `latent_dim=2`, plot the
posterior means of the test digits coloured by their class
(`applications.encode_images` returns them), and decode a regular grid of
codes with `applications.latent_traversal_grid`. Both panels share their
axes: the digit decoded at a point of the grid is the one whose codes lie
there in the scatter. The grid's rows run from `z[1] = -3` at the top, so
we reverse them to make `z[1]` grow upwards in both panels. The grid
decodes `steps` evenly spaced codes from `-extent` to `extent` on each
axis, so the centre of each decoded digit must sit on its code: the image
reaches half a grid step beyond `±extent`, and the scatter shows the same
window. The title counts the codes that fall outside it.
"""

vae_2d = make_vae(latent_dim=2)
vae_2d.compile()
vae_2d.fit(train, epochs=EPOCHS, verbose=0)
codes = applications.encode_images(vae_2d, test_x)
extent, steps = 3.0, 15
grid = applications.latent_traversal_grid(
    vae_2d.decode, 2, extent=extent, steps=steps
)
grid = grid.reshape(steps, -1, *grid.shape[1:])[::-1].reshape(grid.shape)
edge = extent + extent / (steps - 1)  # half a step beyond the outer codes
outside = int(np.sum(np.any(np.abs(codes) > edge, axis=1)))

fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
points = axes[0].scatter(
    codes[:, 0], codes[:, 1], c=test_labels, cmap="tab10", s=5
)
fig.colorbar(points, ax=axes[0], label="digit")
axes[0].set_title(f"posterior means of 1,000 test digits ({outside} outside)")
axes[1].imshow(
    grid[..., 0],
    cmap="gray",
    vmin=0,
    vmax=255,
    extent=(-edge, edge, -edge, edge),
)
for ax in axes:
    ax.set(xlim=(-edge, edge), ylim=(-edge, edge), xlabel="z[0]")
    ax.set(ylabel="z[1]", aspect="equal")
axes[1].set_title("decoded grid of codes")
plt.tight_layout()
plt.show()

"""
In our full-size run 0, 1, 6, 7 and 9 took regions of their own, while
2, 3, 5 and 8 shared the centre, where the grid decodes to blends of
them: two dimensions are too few to separate every class. The KL term packs
all the posteriors into the prior's bulk, without large empty regions
between the classes, so that any code drawn from the prior decodes to
something digit-like, and moving across the grid morphs one digit smoothly
into the next.

## Next steps

- Run this file again with `KERAS_BACKEND=torch` or `tensorflow`.
- `VAE.from_preset("vae_mnist")` is a convolutional VAE trained on the
  60,000 MNIST digits; score it with `metrics.importance_sampled_nll`.
- `applications.negative_elbo_scores` uses the negative ELBO as an anomaly
  score.
"""
