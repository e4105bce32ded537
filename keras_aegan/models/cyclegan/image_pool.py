"""The history of generated images that feeds CycleGAN's discriminators."""

import keras
from keras import ops

from keras_aegan import training
from keras_aegan.api_export import keras_aegan_export


@keras_aegan_export("keras_aegan.models.ImagePool")
class ImagePool(keras.layers.Layer):
    """A buffer of previously generated images (Shrivastava et al. 2017).

    Shrivastava, Pfister, Tuzel, Susskind, Wang & Webb, "Learning from
    Simulated and Unsupervised Images through Adversarial Training", CVPR
    2017, section 2.3, as used by CycleGAN (Zhu et al. 2017, section 4):
    the discriminators see a history of 50 generated images rather than
    only the latest ones, which reduces model oscillation.

    For each image of a batch, in the rule of the CycleGAN code: while the
    pool is not full, the image is stored and returned; once full, with
    probability 1/2 a uniformly chosen stored image is returned and the new
    image takes its place, otherwise the new image is returned and the pool
    is unchanged. The images of one batch are handled together: when two
    of them pick the same slot, both get the stored image and the later
    one is kept.

    The pool is state (non-trainable variables, saved with the model) and
    draws its randomness from its own `keras.random.SeedGenerator`, so it
    works inside compiled training steps on every backend. Inputs should
    be detached from the generator (`ops.stop_gradient`).

    Under a `tf.distribute` strategy there is one global pool, the pool of
    one device: every replica gathers the generated images of all
    replicas (`training.all_gather`, in replica order, which is the order
    of the global batch), applies the rule above to the global batch with
    the same random draws, so that every replica's copy of the pool stays
    identical, and returns its own rows of the result. A distributed step
    thus returns and stores exactly what one device does on the global
    batch. Under `keras.distribution` on JAX the step already sees the
    global batch.

    Args:
        capacity: int. Images kept. 0 disables the pool (inputs are
            returned unchanged). Defaults to 50.
        seed: int or None. Seed of the pool's random choices. Defaults to
            None.
    """

    def __init__(self, capacity=50, seed=None, **kwargs):
        kwargs.setdefault("trainable", False)
        # The pool stores and returns images in the variables' float type
        # (`keras.config.floatx()`), float32 also under mixed precision,
        # where the discriminator casts them to its compute dtype.
        kwargs.setdefault("dtype", keras.config.floatx())
        super().__init__(**kwargs)
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise ValueError(
                f"Expected capacity to be an int. Received {capacity!r}."
            )
        if capacity < 0:
            raise ValueError(
                f"Expected capacity >= 0. Received capacity={capacity}."
            )
        self.capacity = capacity
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.images = self.add_weight(
            shape=(self.capacity, *input_shape[1:]),
            initializer="zeros",
            trainable=False,
            # Every replica writes the same value (see the class docs).
            aggregation="only_first_replica",
            name="images",
        )
        self.count = self.add_weight(
            shape=(),
            initializer="zeros",
            dtype="int32",
            trainable=False,
            aggregation="only_first_replica",
            name="count",
        )

    def call(self, images):
        if self.capacity == 0:
            return images
        replica, replicas = training.replica_context()
        images = ops.convert_to_tensor(images, dtype=self.images.dtype)
        if replicas > 1:
            rows = ops.shape(images)[0]
            returned = self._update(training.all_gather(images))
            start = [replica * rows] + [0] * (len(images.shape) - 1)
            return ops.slice(returned, start, ops.shape(images))
        return self._update(images)

    def _update(self, images):
        # The pool rule on one (global) batch; returns the images to show.
        batch = ops.shape(images)[0]
        count = ops.convert_to_tensor(self.count)
        position = count + ops.arange(batch, dtype="int32")
        # Images that still fit go into the next empty slots.
        insert = position < self.capacity
        # The others swap with a stored image with probability 1/2.
        coin = keras.random.uniform((batch,), seed=self.seed_generator)
        slot = keras.random.randint(
            (batch,), 0, self.capacity, seed=self.seed_generator
        )
        swap = ops.logical_and(
            ops.logical_not(insert),
            ops.logical_and(coin < 0.5, count >= self.capacity),
        )
        slot = ops.where(insert, position, slot)
        stored = ops.take(self.images, ops.minimum(slot, self.capacity - 1), 0)
        pixel_axes = (1,) * (len(images.shape) - 1)
        swap_mask = ops.reshape(ops.cast(swap, images.dtype), (-1, *pixel_axes))
        returned = swap_mask * stored + (1.0 - swap_mask) * images

        # Write the new images into their slots; of several writes to one
        # slot, the last image of the batch stays.
        write = ops.logical_or(insert, swap)
        hits = ops.one_hot(slot, self.capacity, dtype="float32")
        hits = hits * ops.expand_dims(ops.cast(write, "float32"), 1)
        later = ops.flip(ops.cumsum(ops.flip(hits, 0), axis=0), 0) - hits
        hits = hits * ops.cast(later == 0.0, "float32")
        written = ops.minimum(ops.sum(hits, axis=0), 1.0)
        keep = ops.reshape(1.0 - written, (-1, *pixel_axes))
        new_images = ops.einsum(
            "bc,b...->c...", ops.cast(hits, images.dtype), images
        )
        self.images.assign(keep * self.images + new_images)
        self.count.assign(
            ops.minimum(count + ops.cast(batch, "int32"), self.capacity)
        )
        return returned

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"capacity": self.capacity, "seed": self.seed})
        return config
