"""Layers the image-to-image networks share."""

import keras
from keras import layers
from keras import ops

from keras_aegan import training
from keras_aegan.api_export import keras_aegan_export


@keras_aegan_export("keras_aegan.networks.SyncBatchNormalization")
class SyncBatchNormalization(layers.BatchNormalization):
    """Batch normalization over the global batch of a distributed step.

    Ioffe & Szegedy, "Batch Normalization", ICML 2015, algorithm 1, with
    the mini-batch mean and variance taken over the global batch: under a
    `tf.distribute` strategy every replica normalizes with the moments of
    all replicas' examples together (`training.replica_moments`, two
    all-reduces), so a step on N replicas computes what one device computes
    on the whole batch. On one device, and under `keras.distribution` on
    JAX (where the step already sees the global batch), it is
    `keras.layers.BatchNormalization`. The saved config is the same on
    every backend, unlike `BatchNormalization(synchronized=True)`, which
    only the TensorFlow backend accepts.

    Takes the arguments of `keras.layers.BatchNormalization`, except
    `synchronized`.
    """

    def __init__(self, **kwargs):
        if kwargs.pop("synchronized", False):
            raise ValueError(
                "SyncBatchNormalization always synchronizes across "
                "replicas. Received synchronized=True; leave it out."
            )
        super().__init__(**kwargs)

    def _moments(self, inputs, mask):
        if mask is None and training.replica_context()[1] > 1:
            return training.replica_moments(inputs, self._reduction_axes)
        return super()._moments(inputs, mask)

    def get_config(self):
        config = super().get_config()
        config.pop("synchronized", None)
        return config


def instance_normalization(name=None, affine=False, epsilon=1e-5):
    """Instance normalization (Ulyanov et al. 2016, eq. 2).

    Ulyanov, Vedaldi & Lempitsky, "Instance Normalization: The Missing
    Ingredient for Fast Stylization", 2016: every channel of every image
    is normalized by its own spatial mean and variance,

        y_tijk = (x_tijk - mu_ti) / sqrt(sigma_ti^2 + epsilon).

    This is `keras.layers.GroupNormalization` with one group per channel
    (`groups=-1`). With `groups=1`, as some Keras examples write it, all
    channels share one mean and variance: that is layer normalization.

    Args:
        name: str or None. Layer name.
        affine: bool. Whether to learn a per-channel scale and offset after
            the normalization. Defaults to `False`, as the CycleGAN and
            pix2pix reference code (`InstanceNorm2d(affine=False)`).
        epsilon: float. Added to the variance. Defaults to `1e-5`.

    Returns:
        A `keras.layers.GroupNormalization` layer.
    """
    return layers.GroupNormalization(
        groups=-1,
        epsilon=epsilon,
        center=affine,
        scale=affine,
        name=name,
    )


@keras_aegan_export("keras_aegan.networks.ReflectionPadding2D")
class ReflectionPadding2D(layers.Layer):
    """Pads the height and width of NHWC images by reflection.

    The border is mirrored without repeating the edge pixel (`numpy.pad`
    mode `"reflect"`), as the ResNet generators of Johnson et al. 2016 and
    Zhu et al. 2017 do before their convolutions to avoid border artifacts.

    Args:
        padding: int or tuple of 2 ints. Rows and columns added on each
            side. Defaults to 1.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, int):
            padding = (padding, padding)
        self.padding = tuple(int(p) for p in padding)
        if len(self.padding) != 2 or min(self.padding) < 0:
            raise ValueError(
                "Expected padding as a non-negative int or a pair of them. "
                f"Received padding={padding!r}."
            )

    def call(self, inputs):
        rows, cols = self.padding
        return ops.pad(
            inputs, ((0, 0), (rows, rows), (cols, cols), (0, 0)), "reflect"
        )

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        rows, cols = self.padding
        return (
            batch,
            None if height is None else height + 2 * rows,
            None if width is None else width + 2 * cols,
            channels,
        )

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        return config


def normal_init():
    """N(0, 0.02) weights: DCGAN, pix2pix and CycleGAN initialization."""
    return keras.initializers.RandomNormal(stddev=0.02)
