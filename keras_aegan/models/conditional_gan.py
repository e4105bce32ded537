"""Class-conditional GANs: cGAN (Mirza & Osindero 2014) and AC-GAN (Odena
et al. 2017)."""

import keras
import numpy as np
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan import GENERATOR_LOSSES
from keras_aegan.models.gan import AdversarialModel
from keras_aegan.models.gan import _probability_accuracy
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


def _first_labels(x, owner):
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


class _ConditionalModel(AdversarialModel):
    # Labels come as `y` of `fit(x, y)` or as the second item of each
    # dataset batch; generated images get uniformly drawn labels.

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
            labels, found = _first_labels(x, owner)
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


@keras_aegan_export("keras_aegan.models.ConditionalGAN")
class ConditionalGAN(_ConditionalModel):
    """Conditional GAN.

    Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014. The
    generator and the discriminator both receive the class label `y`
    (eq. 2):

        min_G max_D E[log D(x | y)] + E[log(1 - D(G(z | y) | y))],

    trained like the GAN of Goodfellow et al. 2014 (algorithm 1), with the
    non-saturating generator loss by default. Generated images are
    conditioned on labels drawn uniformly over the classes.

    Defaults follow section 4.1: the MLP generator (200 + 1000 ReLU units,
    joint 1200) and maxout discriminator with dropout 0.5, SGD with
    learning rate 0.1 decayed exponentially by a factor 1.00004 per step
    and momentum 0.5 (the paper raises it to 0.7 during training; Keras
    SGD keeps it fixed). `networks.conditional_generator` and
    `networks.conditional_discriminator` give convolutional networks.

    Args:
        generator: keras.Model or None. Maps `[z, labels]` to images in
            [-1, 1]. Defaults to `networks.conditional_mlp_generator`.
        discriminator: keras.Model or None. Maps `[images, labels]` to one
            logit per image. Defaults to
            `networks.conditional_maxout_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. `k` of algorithm 1. Defaults to 1.
        generator_loss: str. `"non_saturating"` or `"minimax"`. Defaults
            to `"non_saturating"`.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise and sampled labels.
            Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.ConditionalGAN(num_classes=10, seed=0)
    gan.compile()
    gan.fit(images_in_minus1_1, labels, epochs=1, batch_size=100)
    sevens = gan.generate(16, labels=7, seed=1)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        num_classes=10,
        latent_dim=100,
        discriminator_steps=1,
        generator_loss="non_saturating",
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(
                f"Expected generator_loss in {GENERATOR_LOSSES}. Received "
                f"generator_loss={generator_loss!r}."
            )
        self.generator_loss_name = generator_loss
        super().__init__(
            num_classes=num_classes,
            generator=generator,
            discriminator=discriminator,
            image_shape=image_shape,
            latent_dim=latent_dim,
            discriminator_steps=discriminator_steps,
            augment=augment,
            ema_decay=ema_decay,
            seed=seed,
            **kwargs,
        )

    def build_generator(self):
        return networks.conditional_mlp_generator(
            self.latent_dim, self.num_classes, self.image_shape
        )

    def build_discriminator(self):
        return networks.conditional_maxout_discriminator(
            self.image_shape, self.num_classes
        )

    def default_optimizers(self):
        def sgd():
            schedule = keras.optimizers.schedules.ExponentialDecay(
                0.1, decay_steps=1, decay_rate=1.0 / 1.00004
            )
            return keras.optimizers.SGD(schedule, momentum=0.5)

        return {
            "discriminator_optimizer": sgd(),
            "generator_optimizer": sgd(),
        }

    def discriminate(self, images, labels=None, training=True):
        if self.augment is not None and training:
            images = self.augment(images, training=True)
        return images, self.discriminator([images, labels], training=training)

    def discriminator_objective(self, real, fake):
        d_loss = losses.minimax_discriminator_loss(real.outputs, fake.outputs)
        accuracy = _probability_accuracy(real.outputs, fake.outputs)
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_objective(self, fake):
        if self.generator_loss_name == "minimax":
            g_loss = losses.minimax_generator_loss(fake.outputs)
        else:
            g_loss = losses.non_saturating_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        config["generator_loss"] = self.generator_loss_name
        return config


def _class_cross_entropy(labels, logits):
    return losses.class_cross_entropy(labels, logits)


@keras_aegan_export("keras_aegan.models.ACGAN")
class ACGAN(_ConditionalModel):
    """GAN with an auxiliary classifier (AC-GAN).

    Odena, Olah & Shlens, "Conditional Image Synthesis with Auxiliary
    Classifier GANs", ICML 2017. The generator gets `(z, c)`; the
    discriminator sees images only and predicts both the source `S` and
    the class `C` (section 3). With the log-likelihoods of the correct
    source and class (eq. 2, 3),

        L_S = E[log P(S=real | X_real)] + E[log P(S=fake | X_fake)]
        L_C = E[log P(C=c | X_real)] + E[log P(C=c | X_fake)],

    the discriminator maximizes `L_S + L_C` and the generator `L_C - L_S`,
    here with the non-saturating form of `-L_S` for the generator. Logs
    include `class_accuracy`, the auxiliary classifier's accuracy on real
    images.

    Defaults follow the appendix (table 2): Adam with learning rate 2e-4,
    `beta_1 = 0.5`, `beta_2 = 0.999`; a DCGAN-style generator fed `z` and
    the class code (100 + `num_classes` inputs) and a discriminator with
    LeakyReLU(0.2) and dropout 0.5.

    Args:
        generator: keras.Model or None. Maps `[z, labels]` to images in
            [-1, 1]. Defaults to `networks.conditional_generator`.
        discriminator: keras.Model or None. Maps images to
            `[source_logits, class_logits]`. Defaults to
            `networks.acgan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. Discriminator updates per generator
            update. Defaults to 1.
        class_weight: float. Weight of the classification terms in both
            losses. Defaults to 1.0.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise and sampled labels.
            Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.ACGAN(num_classes=10, seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5)
    gan.fit(images_in_minus1_1, labels, epochs=1, batch_size=100)
    sevens = gan.generate(16, labels=7, seed=1)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy", "class_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        num_classes=10,
        latent_dim=100,
        discriminator_steps=1,
        class_weight=1.0,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        self.class_weight = float(class_weight)
        super().__init__(
            num_classes=num_classes,
            generator=generator,
            discriminator=discriminator,
            image_shape=image_shape,
            latent_dim=latent_dim,
            discriminator_steps=discriminator_steps,
            augment=augment,
            ema_decay=ema_decay,
            seed=seed,
            **kwargs,
        )

    def build_generator(self):
        return networks.conditional_generator(
            self.latent_dim, self.num_classes, self.image_shape
        )

    def build_discriminator(self):
        return networks.acgan_discriminator(self.image_shape, self.num_classes)

    def default_optimizers(self):
        def adam():
            return keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)

        return {
            "discriminator_optimizer": adam(),
            "generator_optimizer": adam(),
        }

    def discriminator_objective(self, real, fake):
        real_source, real_classes = real.outputs
        fake_source, fake_classes = fake.outputs
        source_loss = losses.minimax_discriminator_loss(
            real_source, fake_source
        )
        class_loss = _class_cross_entropy(
            real.labels, real_classes
        ) + _class_cross_entropy(fake.labels, fake_classes)
        d_loss = source_loss + self.class_weight * class_loss
        predicted = ops.cast(ops.argmax(real_classes, axis=-1), "int32")
        class_accuracy = ops.mean(
            ops.cast(ops.equal(predicted, real.labels), "float32")
        )
        return d_loss, {
            "d_loss": d_loss,
            "d_accuracy": _probability_accuracy(real_source, fake_source),
            "class_accuracy": class_accuracy,
        }

    def generator_objective(self, fake):
        fake_source, fake_classes = fake.outputs
        g_loss = losses.non_saturating_generator_loss(
            fake_source
        ) + self.class_weight * _class_cross_entropy(fake.labels, fake_classes)
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        config["class_weight"] = self.class_weight
        return config
