"""
Title: CycleGAN horse to zebra on TensorFlow, JAX or PyTorch
Author: keras_aegan developers
Date created: 2026/11/24
Last modified: 2026/11/24
Description: Load a pretrained CycleGAN, translate horses into zebras, and fine-tune it with fit() on any backend.
"""

"""
## Introduction

CycleGAN (Zhu et al., 2017) learns to translate images between two
domains from unpaired examples: a set of horse photos and a set of zebra
photos, with no horse matched to a zebra. Two generators, `G_AB` (horse
to zebra) and `G_BA`, are trained against two discriminators, and a
cycle-consistency loss asks `G_BA(G_AB(a))` to give `a` back.

The Keras CycleGAN example on keras.io trains on TensorFlow only, and its
"instance normalization" is `GroupNormalization(groups=1)`, which
normalizes all channels of an image together: that is layer
normalization. Here:

- the model trains with `compile()` and `fit()` on TensorFlow, JAX or
  PyTorch: set `KERAS_BACKEND` before Keras is imported;
- instance normalization is `GroupNormalization(groups=-1)`, one group
  per channel;
- the four networks have four optimizers, all saved with the model;
- the discriminators see a history of 50 generated images per domain;
- the learning rate is constant for the first half of training and
  decays linearly to zero over the second.

The data is the horse2zebra set: local files when
`KERAS_AEGAN_DATA_DIR` points at a folder holding
`horse2zebra/horse2zebra.tar` (or its `trainA/ trainB/ testA/ testB/`
folders), TensorFlow Datasets' `cycle_gan/horse2zebra` otherwise.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np

from keras_aegan import datasets
from keras_aegan import metrics
from keras_aegan.models import CycleGAN
from keras_aegan.visualization import save_image_grid

print("Keras backend:", keras.backend.backend())
FINE_TUNE_EPOCHS = int(os.environ.get("FINE_TUNE_EPOCHS", "1"))

"""
## A pretrained model

`cyclegan_horse2zebra_64` ships with the package: 64x64 images, ResNet
generators with 16 filters, 6 residual blocks and resize-convolution
upsampling (no checkerboard), PatchGAN discriminators
with 32 filters, trained on CPU. `from_preset` checks every file against
its sha256 and works offline.
"""

model = CycleGAN.from_preset("cyclegan_horse2zebra_64")
model.summary()

"""
## Translating test horses

`load` gives the test horses (`testA`) resized to 64x64 and scaled to
[-1, 1], the range of the generators' `tanh` output.
"""

test_horses = datasets.load(
    "horse2zebra", "testA", batch_size=8, image_size=64, shuffle=False
)
horses = next(iter(test_horses)).numpy()
zebras = metrics.translate(model, horses, "a_to_b")
restored = metrics.translate(model, zebras, "b_to_a")
# Rows: the horses, their translations, and the cycle back to horses.
save_image_grid(
    np.concatenate([horses, zebras, restored]), "horse2zebra.png", columns=8
)
print(
    "cycle error on these 8 horses (mean |G_BA(G_AB(a)) - a|, in [-1, 1]):",
    metrics.cycle_reconstruction_error(model, horses),
)

"""
## Fine-tuning with `fit()`

`load_unpaired` yields `(a, b)` batches: each domain is shuffled on its
own, so horse `i` is never tied to zebra `i`, and the pairs change every
epoch. Training images are resized to 72x72 and randomly cropped to 64x64
and flipped, as in the paper. `compile(epochs=..., steps_per_epoch=...)`
sets up the learning-rate schedule; every loss term is logged.
"""

train = datasets.load_unpaired(
    "horse2zebra",
    image_size=64,
    load_size=72,
    batch_size=2,
    seed=0,
    max_examples=64,  # a quick demonstration; drop it to use every image
)
model.compile(epochs=FINE_TUNE_EPOCHS, steps_per_epoch=int(train.cardinality()))
history = model.fit(train, epochs=FINE_TUNE_EPOCHS)
model.save("cyclegan_fine_tuned.keras")  # networks, 4 optimizers, pools

"""
## How well does it translate?

A horse-vs-zebra classifier (`horse2zebra_classifier`, trained on the
train split and shipped with the package) judges the translations: the
success rate is the fraction of translated horses it calls zebras; for
untranslated horses this is its error rate.
"""

judge = metrics.load_domain_classifier(
    "horse2zebra_classifier", output="probabilities"
)
print(
    "judged zebra: translated",
    metrics.translation_success_rate(zebras, judge, target_class=1),
    "untranslated",
    metrics.translation_success_rate(horses, judge, target_class=1),
)
