"""
Title: From GAN to WGAN-GP
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Train a DCGAN and a WGAN-GP on MNIST digits and score both on a digit classifier's features.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have trained a DCGAN and a WGAN-GP on
the same MNIST digits, followed their losses, and scored both with a
Fréchet distance and precision/recall on a digit classifier's features.
We go from the minimax game of Goodfellow et al. (2014) to the Wasserstein
critic of Arjovsky et al. (2017) and its gradient penalty (Gulrajani et
al. 2017). Small networks and short runs keep it to minutes on a CPU; a
shipped preset shows how far a longer run gets.

The first cell sets the Keras backend ("tensorflow" and "torch" work the
same) and `SMOKE`, which CI sets to run in seconds on less data.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import matplotlib.pyplot as plt
import numpy as np

from keras_aegan import datasets
from keras_aegan import losses
from keras_aegan import metrics
from keras_aegan import networks
from keras_aegan.models import DCGAN
from keras_aegan.models import WGANGP
from keras_aegan.visualization import image_grid

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
EPOCHS = 1 if SMOKE else 10
NUM_TRAIN = 640 if SMOKE else 6000  # training digits
NUM_SCORED = 100 if SMOKE else 1000  # generated and test digits per score
keras.utils.set_random_seed(0)  # the networks' initial weights
print("Keras backend:", keras.backend.backend())

"""
## The minimax game

A generator `G` maps noise `z ~ p(z)` to images; a discriminator `D` gives
the probability that an image is real. Goodfellow et al. (2014, eq. 1) set
them a two-player game,

    min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))].

For a fixed `G` the best `D` is `p_data / (p_data + p_g)` (their
proposition 1), and the game then minimizes the Jensen-Shannon divergence
between the data and the generated distribution (theorem 1). Algorithm 1
alternates `k` gradient steps on `D` with one on `G` (`k = 1` in the
paper; `discriminator_steps=k` here).

Early in training `D` rejects the generated images easily, and
`log(1 - D(G(z)))` is then flat: its gradient vanishes. The paper's fix
(section 3) is to let `G` maximize `log D(G(z))` instead, the
*non-saturating* loss, which has the same fixed point but strong
gradients where the generator is bad. Here are the two losses of
`keras_aegan.losses`, as functions of the discriminator's logit on a
generated image, and their slopes:
"""

logits = np.linspace(-8.0, 8.0, 161).astype("float32")
d_of_g = 1.0 / (1.0 + np.exp(-logits))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for name, loss in [
    ("minimax: log(1 - D(G(z)))", losses.minimax_generator_loss),
    ("non-saturating: -log D(G(z))", losses.non_saturating_generator_loss),
]:
    # The losses average over a batch: here, batches of one logit.
    values = np.array([float(loss(keras.ops.array([[v]]))) for v in logits])
    axes[0].plot(d_of_g, values, label=name)
    axes[1].plot(d_of_g, np.abs(np.gradient(values, logits)), label=name)
axes[0].set(xlabel="D(G(z))", ylabel="generator loss")
axes[1].set(xlabel="D(G(z))", ylabel="|d loss / d logit|")
axes[0].legend()
axes[1].set_title("the minimax loss saturates where D(G(z)) -> 0")
plt.tight_layout()
plt.show()

"""
Where `D(G(z))` is near 0, the minimax slope is near 0 and the
non-saturating one near 1. `GAN` and `DCGAN` use the non-saturating loss
by default (`generator_loss_type="minimax"` gives eq. 1 as written).

## Data and the yardstick

We train on the MNIST digits shipped with the package, scaled to the
`tanh` range [-1, 1] of the generators, and hold out the sample's test
digits (1,000 at full size) to score them.

A Fréchet distance compares the mean and covariance of two sets of
features (Heusel et al. 2017, eq. 6). Inception features cannot be
downloaded here, so `keras_aegan.metrics` uses the features of a small
MNIST classifier shipped with the package (99.3 % test accuracy): the
numbers are "FD-mnist" (logged as `fd_mnist_classifier`), not FID, and
compare only with each other.
Precision is the share of generated digits that fall near real ones in
that feature space, recall the share of real digits near generated ones
(Kynkäänniemi et al. 2019, eq. 1-2). A floor first: real training digits
against real test digits score as well as any generator can.
"""

train_data = datasets.load(
    "mnist_sample",
    batch_size=64,
    pixel_range=(-1, 1),
    max_examples=NUM_TRAIN,
    seed=0,
    drop_remainder=True,
)
train_images, _ = datasets.load_arrays("mnist_sample", split="train")
test_images, _ = datasets.load_arrays("mnist_sample", split="test")
test_images = test_images[:NUM_SCORED]
extractor = metrics.load_domain_classifier("mnist_classifier")
classifier = metrics.load_domain_classifier("mnist_classifier", "probabilities")
print(extractor.label)

real_features = extractor(test_images, pixel_range=(0, 255))
floor = metrics.compare_features(
    real_features,
    extractor(train_images[:NUM_SCORED], pixel_range=(0, 255)),
    kid_subset_size=NUM_SCORED,
)
print(
    f"floor, {NUM_SCORED} train vs {len(test_images)} test digits: "
    f"FD {floor['fd']:.2f}, precision {floor['precision']:.3f}, "
    f"recall {floor['recall']:.3f}"
)

"""
## A DCGAN

`DCGAN` (Radford et al. 2016) plays the game above with convolutional
networks and Adam(2e-4, beta_1=0.5). We pass the library's DCGAN networks
at a quarter of their default width (16 filters instead of 64) so that an
epoch takes seconds. `GenerativeMetricsCallback` measures the FD of
`NUM_SCORED` samples (1,000 at full size, 100 at smoke size), drawn from
the same noise each time, every `EVERY` epochs (every 2 at full size), so
we can watch quality, not just losses.
"""

SHAPE = (28, 28, 1)
LATENT = 64
EVERY = max(1, EPOCHS // 5)


def fd_callback():
    return metrics.GenerativeMetricsCallback(
        test_images,
        extractor,
        every_n_epochs=EVERY,
        num_generated=NUM_SCORED,
        kid=False,
    )


dcgan = DCGAN(
    generator=networks.dcgan_generator(LATENT, SHAPE, base_filters=16),
    discriminator=networks.dcgan_discriminator(SHAPE, base_filters=16),
    latent_dim=LATENT,
    seed=0,
)
dcgan.compile()  # Adam(2e-4, beta_1=0.5) for both networks
dcgan_fd = fd_callback()
dcgan_history = dcgan.fit(
    train_data, epochs=EPOCHS, callbacks=[dcgan_fd], verbose=2
)

"""
## From Jensen-Shannon to Wasserstein

When the two distributions have (nearly) disjoint supports, as images on a
low-dimensional manifold do, the Jensen-Shannon divergence is constant and
an optimal discriminator gives the generator no useful gradient. Arjovsky
et al. (2017) replace it by the Earth-Mover (Wasserstein-1) distance, in
its Kantorovich-Rubinstein dual form (their eq. 2):

    W(P_r, P_g) = sup_{||f||_L <= 1}  E_{x~P_r}[f(x)] - E_{x~P_g}[f(x)].

The discriminator becomes a *critic* `f` with a real-valued score, no
sigmoid and no log; the generator minimizes `-E[f(G(z))]`. WGAN keeps `f`
1-Lipschitz by clipping its weights (`keras_aegan.models.WGAN`).
Gulrajani et al. (2017) showed that clipping pushes the critic towards
overly simple functions, and penalized instead its gradient at random
points between real and generated images (eq. 3):

    L = E[D(G(z))] - E[D(x)] + lambda E[(||grad D(x_hat)||_2 - 1)^2],
    x_hat = eps x + (1 - eps) G(z),  eps ~ U[0, 1].

`WGANGP` runs algorithm 1 of that paper: lambda = 10, `n_critic = 5`
critic updates per generator update, a critic without batch
normalization (the penalty is per example), and the gradient of a
gradient that the penalty needs, on every backend. Each critic update
draws its own real minibatch, as algorithm 1 does: a batch of `5 * m`
rows gives each of the 5 updates `m` images (`real_batches_per_step`).

One departure, for the time budget: with the paper's Adam(1e-4,
beta_1=0, beta_2=0.9) (what `wgan.compile()` gives), our small WGAN-GP
still drew grey noise after 270 generator updates. With Adam(1e-3,
beta_1=0.5, beta_2=0.9) and `m = 32` digits appeared within 300.
"""

wgan = WGANGP(
    generator=networks.dcgan_generator(LATENT, SHAPE, base_filters=16),
    discriminator=networks.dcgan_discriminator(
        SHAPE, base_filters=16, batch_norm=False
    ),
    latent_dim=LATENT,
    discriminator_steps=5,  # n_critic
    penalty_weight=10.0,  # lambda
    seed=0,
)
wgan.compile(
    generator_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9),
    discriminator_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9),
)
wgan_data = datasets.load(
    "mnist_sample",
    batch_size=32 * wgan.real_batches_per_step,
    pixel_range=(-1, 1),
    max_examples=NUM_TRAIN,
    seed=0,
    drop_remainder=True,
)
wgan_fd = fd_callback()
wgan_history = wgan.fit(
    wgan_data, epochs=EPOCHS, callbacks=[wgan_fd], verbose=2
)

"""
## Reading the curves

A GAN's two losses do not say whether the samples improve: each measures
one network against the other, which moves too. In our full-size runs
on JAX the DCGAN's discriminator won the first epochs (`d_accuracy` 1.00
at epoch 2), then the generator caught up: `d_loss` rose and `g_loss`
fell back towards each other while the FD fell.

The critic's `wasserstein_estimate`, `E[D(x)] - E[D(G(z))]`, estimates the
Wasserstein distance (up to the critic's Lipschitz constant). Arjovsky
et al. (2017, section 4.2) found that it falls as samples improve, which
the losses of a standard GAN do not, and Gulrajani et al. saw the same
with the penalty. So it did in our full-size run, from about 25 to below
2 over the 10 epochs, along with the FD; the gradient penalty (before
lambda) fell with it, as the critic settled near 1-Lipschitz. Of all
these training losses, the Wasserstein estimate is the one that tracks
the FD. The smoke-size figure below has a single epoch: the two loss
panels then show a single marker per curve, and the FD panel one
point per model (the DCGAN's may hide under the WGAN-GP's, both near
1,000).
"""

epochs = np.arange(1, EPOCHS + 1)
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
for key in ("d_loss", "g_loss"):
    axes[0].plot(epochs, dcgan_history.history[key], "o-", label=key)
axes[0].set(title="DCGAN losses", xlabel="epoch")
axes[1].plot(epochs, wgan_history.history["wasserstein_estimate"], "o-")
axes[1].set(
    title="WGAN-GP critic", xlabel="epoch", ylabel="wasserstein_estimate"
)
penalty_axis = axes[1].twinx()
penalty_axis.plot(epochs, wgan_history.history["gradient_penalty"], "o-C1")
penalty_axis.set_ylabel("gradient_penalty", color="C1")
for name, callback in [("DCGAN", dcgan_fd), ("WGAN-GP", wgan_fd)]:
    xs = [h["epoch"] for h in callback.history]
    axes[2].plot(
        xs, [h[callback.fd_key] for h in callback.history], "o-", label=name
    )
axes[2].axhline(floor["fd"], color="grey", ls="--", label="real digits")
axes[2].set(title="FD-mnist (lower is better)", xlabel="epoch", yscale="log")
for ax in (axes[0], axes[2]):
    ax.legend()
plt.tight_layout()
plt.show()

"""
## Scores, and what a longer run reaches

`metrics.evaluate_generator(model, real, extractor, classifier)` scores a
model in one call, as `keras-aegan evaluate` does from a terminal. We
take its steps one by one, to keep the samples and extract the real
features once: FD, KID (computed, not printed) and precision/recall on
the classifier's features (`compare_features`), and the classifier's
analogue of the Inception Score (Salimans et al. 2016; 10 for ten
equally frequent, confidently classified classes). We add the shipped
`dcgan_mnist` preset: the same architecture at full width (64 filters,
`latent_dim=100`), trained with batches of 128 for 8 epochs on all
60,000 MNIST digits (about half an hour on 2 CPU cores, see
`zoo/dcgan_mnist`).
"""

pretrained = DCGAN.from_preset("dcgan_mnist")
models = {"DCGAN": dcgan, "WGAN-GP": wgan, "dcgan_mnist preset": pretrained}
print(f"{'':20s} {'FD':>8s} {'precision':>10s} {'recall':>7s} {'IS':>6s}")
samples = {}
for name, model in models.items():
    samples[name] = metrics.generate_images(model, NUM_SCORED, seed=0)
    fake_features = extractor(samples[name], pixel_range=model.pixel_range)
    scores = metrics.compare_features(
        real_features, fake_features, kid_subset_size=NUM_SCORED
    )
    probabilities = classifier(samples[name], pixel_range=model.pixel_range)
    inception_score, _ = metrics.inception_score(probabilities)
    print(
        f"{name:20s} {scores['fd']:8.2f} {scores['precision']:10.3f} "
        f"{scores['recall']:7.3f} {inception_score:6.2f}"
    )

"""
How to read them. In three full-size runs on JAX (this seeded one among
them), both small models ended with an FD between 250 and 290 and a
precision near 0.6, far from the preset (FD 79, recall 0.91), itself far
from the floor of real digits (14). Their recall changed from run to run
(0.24 to 0.35 for the DCGAN, 0.23 to 0.51 for the WGAN-GP), so at this
size neither clearly wins. The WGAN-GP got there with 370 generator
updates against the DCGAN's 930, for the same 10 passes over the data.
Precision near 1 with recall near 0 would mean a generator stuck on a
few images (mode collapse). The smoke run prints that degenerate corner
for the two small models: after one epoch their samples are near-blank
and nearly all alike (see the grids below), which the nearest-neighbour
test counts as inside the real digits' manifold while covering none of
them.

The floor is 14, not 0, because an FD from 1,000 images is biased
upwards (the README of `keras_aegan.metrics` measures 0.94 for 10,000
against 10,000): compare FDs only at equal sample sizes. At smoke size
(100 images, one epoch) the numbers are meaningless.

The same scores from a terminal:
`keras-aegan evaluate dcgan_mnist --dataset mnist_sample --num 1000`.
On the TensorFlow backend, whose noise differs from JAX's, it gave the
preset an FD of 65 instead of 79, with precision 0.58 and recall 0.84:
one more reason to read only large gaps.

## Samples

The first 36 of the samples scored above. At smoke size, after one
epoch, the two small models draw near-blank images (shown on the fixed
0-255 grey scale, so a flat image is a flat grey); only the preset
draws digits.
"""

fig, axes = plt.subplots(1, 3, figsize=(12, 4.4))
for ax, (name, images) in zip(axes, samples.items(), strict=True):
    ax.imshow(image_grid(images[:36])[..., 0], cmap="gray", vmin=0, vmax=255)
    ax.set_title(name)
    ax.axis("off")
plt.tight_layout()
plt.show()

"""
## Next steps

- Try `generator_loss_type="minimax"` in the DCGAN, or
  `discriminator_steps=k` for `k > 1`, and compare the FD curves.
- `WGANGP.from_preset("wgan_gp_fashion_mnist")` is a WGAN-GP trained for
  80 epochs on Fashion-MNIST; score it with
  `keras-aegan evaluate wgan_gp_fashion_mnist` where the Fashion-MNIST
  files are available (`KERAS_AEGAN_DATA_DIR`, or TFDS `fashion_mnist`).
- Train longer from a terminal: `keras-aegan train wgangp --dataset
  mnist_sample --epochs 50 --batch-size 64 --out runs/wgangp`
  (`--batch-size` is the minibatch `m` of one critic update).
"""
