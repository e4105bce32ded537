"""Differentiable augmentation of the discriminator's inputs (Zhao et al.
2020), the GAN family's own layer."""

import functools

import keras
from keras import ops

from keras_aegan import training
from keras_aegan.api_export import keras_aegan_export

POLICIES = ("brightness", "translation", "cutout")


@keras_aegan_export("keras_aegan.models.DiffAugment")
class DiffAugment(keras.layers.Layer):
    """Differentiable augmentation (Zhao et al., NeurIPS 2020, eq. 4).

    The discriminator sees `D(T(x))` and `D(T(G(z)))`, the same random
    family of transformations `T` applied to real and generated images in
    both the discriminator's and the generator's updates, so gradients flow
    through `T` into the generator. Every transformation is written in
    `keras.ops` with the layer's `SeedGenerator` and is drawn per example:

    - `"brightness"`: adds `U[-0.5, 0.5)` to every pixel;
    - `"translation"`: shifts by up to `translation_ratio` of the image
      size, padding with zeros;
    - `"cutout"`: zeroes a square of `cutout_ratio` of the image size at a
      random position.

    The magnitudes are the paper's (section 3.2, for images in [-1, 1]).
    Every draw goes through `keras_aegan.training.replica_random`: under a
    `tf.distribute` strategy each replica gets its own rows of the draw one
    device makes for the global batch, not a copy of the other replicas'.
    Outside training (`training=False`) the layer is the identity.

    Args:
        policy: tuple of str. Transformations to apply, in order, among
            `"brightness"`, `"translation"` and `"cutout"`. Defaults to
            `("brightness", "translation", "cutout")`.
        translation_ratio: float. Largest shift, as a fraction of the
            height and width. Defaults to 0.125.
        cutout_ratio: float. Side of the cut-out square, as a fraction of
            the height and width. Defaults to 0.5.
        seed: int or None. Seed of the layer's random stream. Defaults to
            `None`.

    Example:
    ```python
    gan = keras_aegan.models.DCGAN(augment=keras_aegan.models.DiffAugment())
    ```
    """

    def __init__(
        self,
        policy=POLICIES,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        policy = tuple(policy)
        unknown = [p for p in policy if p not in POLICIES]
        if unknown:
            raise ValueError(
                f"Expected policy entries among {POLICIES}. Received "
                f"unknown entries {unknown}."
            )
        self.policy = policy
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training:
            return images
        for name in self.policy:
            images = getattr(self, f"_{name}")(images)
        return images

    def _uniform(self, shape):
        # float32 whatever floatx is: the shifts and corners are compared
        # with float32 index grids below.
        return training.replica_random(
            functools.partial(keras.random.uniform, dtype="float32"),
            shape,
            self.seed_generator,
        )

    def _brightness(self, images):
        batch = ops.shape(images)[0]
        shift = self._uniform((batch, 1, 1, 1)) - 0.5
        return images + ops.cast(shift, images.dtype)

    def _shift_matrices(self, batch, size, max_shift):
        # Row i of matrix b selects source row i - shift_b (zero outside
        # the image): a translation as a batched matrix product, which is
        # differentiable with respect to the image.
        shift = ops.floor(
            self._uniform((batch,)) * (2 * max_shift + 1) - max_shift
        )
        index = ops.arange(size, dtype="float32")
        source = index[None, :, None] - shift[:, None, None]
        return ops.cast(ops.equal(source, index[None, None, :]), "float32")

    def _translation(self, images):
        batch = ops.shape(images)[0]
        height, width = images.shape[1], images.shape[2]
        rows = self._shift_matrices(
            batch, height, int(height * self.translation_ratio + 0.5)
        )
        cols = self._shift_matrices(
            batch, width, int(width * self.translation_ratio + 0.5)
        )
        dtype = images.dtype
        images = ops.einsum("bij,bjwc->biwc", ops.cast(rows, dtype), images)
        return ops.einsum("bkl,bhlc->bhkc", ops.cast(cols, dtype), images)

    def _cutout(self, images):
        batch = ops.shape(images)[0]
        height, width = images.shape[1], images.shape[2]
        cut_h = int(height * self.cutout_ratio + 0.5)
        cut_w = int(width * self.cutout_ratio + 0.5)
        # Top-left corners such that the square's centre lies in the image,
        # as in the reference implementation.
        top = ops.floor(self._uniform((batch,)) * (height + 1 - cut_h % 2))
        top = top - cut_h // 2
        left = ops.floor(self._uniform((batch,)) * (width + 1 - cut_w % 2))
        left = left - cut_w // 2
        rows = ops.arange(height, dtype="float32")[None, :]
        cols = ops.arange(width, dtype="float32")[None, :]
        in_rows = ops.logical_and(
            rows >= top[:, None], rows < top[:, None] + cut_h
        )
        in_cols = ops.logical_and(
            cols >= left[:, None], cols < left[:, None] + cut_w
        )
        cut = ops.logical_and(in_rows[:, :, None], in_cols[:, None, :])
        mask = 1.0 - ops.cast(cut, images.dtype)
        return images * mask[:, :, :, None]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "policy": list(self.policy),
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio,
                "seed": self.seed,
            }
        )
        return config
