"""
Title: Fine-tune a pretrained generator on your own folder of images
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Load a pretrained DCGAN preset and fine-tune it with fit() on a folder of your own images.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have taken a DCGAN pretrained on all
of MNIST, fine-tuned it with `compile()` and `fit()` on a folder of image
files, and measured how its samples moved towards the folder's content.

A pretrained generator already knows strokes, thickness and the shapes of
digits; a small set of new images only has to shift what it draws. Our
"own images" are the sevens of the MNIST sample shipped with the package,
written as PNG files into a folder: swap in a folder of yours and the
rest of the code stays the same.

The first cell chooses the Keras backend: "jax" here; "tensorflow" and
"torch" work the same. `SMOKE` shrinks epochs and data: CI sets it to run
the tutorial in seconds.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from keras_aegan import datasets
from keras_aegan import metrics
from keras_aegan.models import DCGAN
from keras_aegan.visualization import image_grid

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
EPOCHS = 1 if SMOKE else 8
NUM_IMAGES = 64 if SMOKE else None  # None: every seven of the sample
NUM_CHECKED = 100 if SMOKE else 500  # samples per measurement
print("Keras backend:", keras.backend.backend())

"""
## A pretrained generator

Presets are folders of a config, weights and metadata, checked against
their sha256 before anything is read; the ones shipped in the package
load offline. Each class lists its own, and `keras-aegan list` prints
them all.
"""

print("DCGAN presets:", list(DCGAN.presets))
gan = DCGAN.from_preset("dcgan_mnist", seed=0)
print(
    f"{gan.count_params():,} parameters, images {gan.image_shape} in "
    f"{tuple(gan.pixel_range)}"
)
before = gan.generate(64, seed=1)

"""
`from_preset` takes constructor arguments that replace the preset's, here
the seed of the training noise. `generate` returns NumPy images in the
generator's range, [-1, 1]. The preset was trained for 8 epochs on the
60,000 MNIST training digits (`zoo/dcgan_mnist`), so its samples are all
ten digits in roughly equal shares.

## Your own folder of images

We write the sevens of the shipped sample as PNG files into a fresh
temporary folder (`tempfile.mkdtemp()`): nothing is written into the
current directory. A folder can hold the images directly, as here, or one
sub-folder per class (`cats/`, `dogs/`), optionally inside `train/` and
`test/` folders; `.zip` and `.tar` archives of such a folder work too.
"""

workdir = Path(tempfile.mkdtemp(prefix="keras_aegan_finetune_"))
folder = workdir / "my_sevens"
folder.mkdir()
digits, labels = datasets.load_arrays("mnist_sample", split="train")
sevens = digits[labels == 7][:NUM_IMAGES]
for i, image in enumerate(sevens):
    Image.fromarray(image[..., 0]).save(folder / f"{i:04d}.png")
print(f"wrote {len(sevens)} PNG files to {folder}")

"""
`datasets.read_image_folder` reads such a folder into arrays (uint8,
channels last; grey images keep one channel), which is handy to look at
what was found. A folder without class sub-folders has no labels.
Decoded images are cached so that a folder is decoded only once; we keep
the cache in the temporary folder too (`cache_dir=`, by default under
`~/.keras`).
"""

cache = workdir / "cache"
images, folder_labels, class_names = datasets.read_image_folder(
    folder, cache_dir=cache
)
print("read", images.shape, images.dtype, "labels:", folder_labels)

"""
For training, `datasets.load` takes the folder's path where it would take
a data set's name and returns a `tf.data` pipeline (shuffled, batched,
scaled to `pixel_range`) that feeds `fit()` on every backend.
`image_size=` (here the generator's 28x28) resizes images of another
size; these sevens already have it.
"""

train_data = datasets.load(
    folder,
    batch_size=64,
    pixel_range=gan.pixel_range,
    image_size=gan.image_shape[:2],
    seed=0,
    cache_dir=cache,
)

"""
## How many sevens before?

An independent judge: the MNIST classifier shipped for the metrics
(`mnist_classifier`, 99.3 % accurate on the MNIST test digits). The share
of samples it reads as a 7 tells us how far the generator has moved.
"""

classifier = metrics.load_domain_classifier("mnist_classifier", "probabilities")


def share_of_sevens(model):
    samples = model.generate(NUM_CHECKED, seed=2)
    predicted = classifier(samples, pixel_range=model.pixel_range).argmax(-1)
    return float(np.mean(predicted == 7))


share_before = share_of_sevens(gan)
print(f"before fine-tuning: {share_before:.0%} sevens")

"""
## Fine-tuning with compile() and fit()

A preset holds weights, not optimizer state, so it loads uncompiled:
`compile()` gives both networks fresh optimizers. Both the generator
*and* the discriminator are fine-tuned; the discriminator, pretrained on
all digits, first has to learn that only sevens are real now, and then
pushes the generator towards them.

With a few hundred images an epoch is only a handful of steps, so we use
4 times DCGAN's learning rate, Adam(8e-4, beta_1=0.5), as the library's
own test of this preset does (`tests/presets/test_zoo.py`, where 2e-4
moved the generator more slowly).
"""

gan.compile(
    generator_optimizer=keras.optimizers.Adam(8e-4, beta_1=0.5),
    discriminator_optimizer=keras.optimizers.Adam(8e-4, beta_1=0.5),
)
shares = [share_before]
track = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: shares.append(share_of_sevens(gan))
)
history = gan.fit(train_data, epochs=EPOCHS, callbacks=[track], verbose=2)
print(f"after {EPOCHS} epochs: {shares[-1]:.0%} sevens")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.3))
axes[0].plot(range(EPOCHS + 1), shares, "o-")
axes[0].set(
    xlabel="epoch",
    ylabel="share of sevens",
    ylim=(0, 1.05),
    title="samples read as 7 by mnist_classifier",
)
for key in ("d_loss", "g_loss"):
    axes[1].plot(range(1, EPOCHS + 1), history.history[key], "o-", label=key)
axes[1].set(xlabel="epoch", title="losses")
axes[1].legend()
plt.tight_layout()
plt.show()

"""
On the rendered page this is a smoke run (one epoch on 64 images, a
single step), so the share barely moves and each loss is one point. At
full size, the library's own test of this preset
(`tests/presets/test_zoo.py`: 600 sevens, batch 64, 8 epochs at the same
rate) measured 12 % sevens before and 84 % after on TensorFlow; the
exact figures vary with the backend and the run. Expect a price: samples
pulled this fast from few images tend to be rougher than the preset's,
so look at the grids below rather than at the share alone.

Fine-tuning on few images has a known failure: the generator can collapse
to a few of them. Compare the samples with the folder's images, and stop
early (or lower the learning rate) when they start to repeat; a callback
like `track` above is where to measure what you care about.

## Saving, and the command line

The fine-tuned model saves like any Keras model; the `.keras` file holds
both networks and both optimizers' state, so `fit()` can go on after a
reload. `save_to_preset` writes a preset folder of your own, which
`DCGAN.from_preset(path)` loads and others can share. We write both under
the temporary folder.
"""

gan.save(workdir / "sevens.keras")
gan.save_to_preset(workdir / "dcgan_sevens", metadata={"dataset": str(folder)})
reloaded = DCGAN.from_preset(workdir / "dcgan_sevens")
same = np.allclose(reloaded.generate(4, seed=1), gan.generate(4, seed=1))
print("the preset reproduces the samples:", same)

"""
From a terminal, `keras-aegan generate PATH/sevens.keras --num 64 --out
grid.png` samples the saved model (or a preset folder or name), and
`keras-aegan train dcgan --dataset PATH/my_sevens --epochs 20 --out
runs/sevens` trains on the same folder, but from scratch: the `train`
command has no option to start from a preset, so fine-tuning is done from
Python as above.

## Before and after

The same 64 noise vectors through the generator before and after
fine-tuning, beside 64 images of the folder. On the rendered (smoke)
page the middle grid is one step away from the left one: the same
digits, only a little fainter. After a full-size run it should be
mostly sevens.
"""

fig, axes = plt.subplots(1, 3, figsize=(13, 4.8))
panels = [
    ("dcgan_mnist preset", before, gan.pixel_range),
    (f"fine-tuned, {EPOCHS} epochs", gan.generate(64, seed=1), gan.pixel_range),
    ("the folder", images[:64], (0, 255)),
]
for ax, (title, batch, pixel_range) in zip(axes, panels, strict=True):
    ax.imshow(
        image_grid(batch, pixel_range=pixel_range)[..., 0],
        cmap="gray",
        vmin=0,
        vmax=255,
    )
    ax.set_title(title)
    ax.axis("off")
plt.tight_layout()
plt.show()

"""
## Next steps

- Point `folder` at your own images: any size (set `image_size=`), grey or
  colour. For colour images start from `DCGAN.from_preset("dcgan_cifar10")`
  (32x32x3).
- `DCGAN.from_preset("dcgan_mnist", augment=DiffAugment())`
  (`keras_aegan.models.DiffAugment`, Zhao et al. 2020) augments every
  image the discriminator sees, which is meant for training on few
  images.
- Track the Fréchet distance to your folder during fine-tuning with
  `metrics.GenerativeMetricsCallback`.
"""
