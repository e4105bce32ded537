"""The labels and class-conditional step shared by cGAN and AC-GAN."""

import keras
import numpy as np
from keras import ops

from keras_aegan.models.gan.adversarial_model import AdversarialModel
from keras_aegan.training import numpy_outputs


def check_labels(labels, num_classes, owner, num_samples=None):
    """Checks class labels; returns them as an int32 array `(n,)`.

    Raises:
        ValueError: for labels of the wrong shape or count, non-integer
            values, or values outside `[0, num_classes)`.
    """
    array = np.asarray(keras.ops.convert_to_numpy(labels))
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{owner} expected integer class labels of shape (batch,) or "
            f"(batch, 1). Received shape {array.shape}. One-hot labels can "
            "be converted with `labels.argmax(-1)`."
        )
    if num_samples is not None and len(array) != num_samples:
        raise ValueError(
            f"{owner} expected one label per image: {num_samples} labels. "
            f"Received {len(array)}."
        )
    if array.size and not np.all(np.equal(np.mod(array, 1), 0)):
        raise ValueError(
            f"{owner} expected integer class labels. Received non-integer "
            "values."
        )
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"{owner} expected class labels in [0, {num_classes - 1}] "
            f"(num_classes={num_classes}). Received labels in "
            f"[{array.min()}, {array.max()}]."
        )
    return array.astype("int32")


def first_labels(x, owner):
    # The labels of the first element of a tf.data.Dataset, if any.
    try:
        import tensorflow as tf
    except ImportError:
        return None, False
    if not isinstance(x, tf.data.Dataset):
        return None, False
    for element in x.take(1):
        if not isinstance(element, (tuple, list)) or len(element) < 2:
            raise ValueError(
                f"{owner} expected a dataset of (images, labels) batches. "
                "Received elements without labels."
            )
        return element[1], True
    return None, False


class ConditionalModel(AdversarialModel):
    # Labels come as `y` of `fit(x, y)` or as the second item of each
    # dataset batch; generated images get uniformly drawn labels.

    conditional = True

    def __init__(self, num_classes=10, **kwargs):
        if int(num_classes) < 2:
            raise ValueError(
                f"Expected num_classes >= 2. Received {num_classes}."
            )
        self.num_classes = int(num_classes)
        super().__init__(**kwargs)

    def unpack_batch(self, data):
        x, y = super().unpack_batch(data)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} expected class labels with the "
                "images: `fit(images, labels)` or a dataset of "
                "(images, labels) batches. Received images only."
            )
        shape = tuple(y.shape)
        if len(shape) > 2 or (len(shape) == 2 and shape[1] != 1):
            raise ValueError(
                f"{type(self).__name__} expected integer class labels of "
                f"shape (batch,) or (batch, 1). Received shape {shape}."
            )
        labels = ops.cast(ops.reshape(y, (-1,)), "int32")
        return ops.convert_to_tensor(x), labels

    def fit(self, x=None, y=None, **kwargs):
        """Trains on `(images, labels)`; see `keras.Model.fit`.

        Labels are integers in `[0, num_classes)`, of shape `(batch,)` or
        `(batch, 1)`. Arrays are checked whole, datasets on their first
        batch.
        """
        owner = type(self).__name__
        if y is not None:
            count = len(x) if hasattr(x, "__len__") else None
            check_labels(y, self.num_classes, owner, count)
        else:
            labels, found = first_labels(x, owner)
            if found:
                check_labels(labels, self.num_classes, owner)
            elif hasattr(x, "shape"):
                raise ValueError(
                    f"{owner}.fit() expected class labels: "
                    "`fit(images, labels)`. Received images only."
                )
        return super().fit(x, y, **kwargs)

    def sample_labels(self, batch_size):
        """Uniform class labels for a batch of generated images."""
        u = self.uniform_noise((batch_size,))
        labels = ops.floor(u * self.num_classes)
        return ops.cast(ops.minimum(labels, self.num_classes - 1), "int32")

    def generate_batch(self, batch_size, training=True):
        labels = self.sample_labels(batch_size)
        z = self.sample_latent(batch_size)
        return self.generator([z, labels], training=training), labels

    def generate(self, num_samples, labels=None, seed=None, batch_size=128):
        """Samples `num_samples` images of the requested classes.

        Args:
            num_samples: int. Number of images.
            labels: int, array or None. One class for all images, one
                label per image, or `None` for the classes in turn
                (`0, 1, ..., num_classes - 1, 0, ...`). Defaults to `None`.
            seed: int or None. The same seed gives the same images, for
                any `batch_size`.
            batch_size: int. Images per forward pass. Defaults to 128.

        Returns:
            A NumPy array of shape `(num_samples, *image_shape)`.
        """
        owner = type(self).__name__
        if labels is None:
            labels = np.arange(num_samples) % self.num_classes
        elif np.ndim(labels) == 0:
            labels = np.full((num_samples,), labels)
        labels = check_labels(labels, self.num_classes, owner, num_samples)
        z = self.sample_latent(num_samples, seed=seed)
        labels = ops.convert_to_tensor(labels)
        return numpy_outputs(self, [z, labels], batch_size)

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config
