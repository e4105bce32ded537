"""The training step shared by the unpaired translation models."""

import keras
from keras import ops

from keras_aegan import validation
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.cyclegan.image_pool import ImagePool
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.training import Update
from keras_aegan.training import numpy_outputs

NETWORKS = (
    "generator_ab",
    "generator_ba",
    "discriminator_a",
    "discriminator_b",
)


OPTIMIZER_NAMES = tuple(f"{name}_optimizer" for name in NETWORKS)


@keras_aegan_export("keras_aegan.models.UnpairedTranslationModel")
class UnpairedTranslationModel(GenerativeModel):
    """Shared machinery of two-domain translation models.

    Two generators, `G_AB` (domain A to B) and `G_BA`, and two
    discriminators, `D_A` (real A images against `G_BA(b)`) and `D_B` (real
    B against `G_AB(a)`), each with its own optimizer. One training step
    is one update of both generators on their joint loss, then one update
    of both discriminators on generated images from the updated
    generators (detached, and passed through an `ImagePool` when
    `pool_size > 0`).

    `fit()` takes unpaired batches `(a, b)`: a `tf.data.Dataset` (or
    `PyDataset`) yielding tuples of two image batches, e.g. from
    `keras_aegan.datasets.load_unpaired`, or `fit(x=a_images,
    y=b_images)` with as many images in each domain (the rows are paired
    by Keras, then shuffled together each epoch). Images are in [-1, 1].

    The image pools are non-trainable weights: they are saved with the
    model and its presets (2 x pool_size images, 4.9 MB at 64x64).
    Under a `tf.distribute` strategy each pool is one global history that
    every replica keeps identical (see `ImagePool`), so a distributed step
    equals the single-device step on the global batch.

    Subclasses give the default networks and optimizers and the losses:
    `generator_adversarial_loss(scores)`,
    `discriminator_adversarial_loss(real_scores, fake_scores)` and
    `reconstruction_loss(images, reconstructions)`.

    Args:
        generator_ab: keras.Model or None. Maps A images to B images.
        generator_ba: keras.Model or None. Maps B images to A images.
        discriminator_a: keras.Model or None. Scores A images.
        discriminator_b: keras.Model or None. Scores B images.
        image_shape: tuple. `(height, width, channels)` of both domains.
        reconstruction_weight: float. Weight of the cycle (reconstruction)
            losses.
        pool_size: int. Capacity of each domain's `ImagePool`; 0 feeds the
            discriminators the latest images only.
        seed: int or None. Seed of the pools' random choices.
    """

    translation = True

    log_names = (
        "g_loss",
        "g_ab_loss",
        "g_ba_loss",
        "cycle_a_loss",
        "cycle_b_loss",
        "d_a_loss",
        "d_b_loss",
    )

    def __init__(
        self,
        generator_ab=None,
        generator_ba=None,
        discriminator_a=None,
        discriminator_b=None,
        image_shape=(256, 256, 3),
        reconstruction_weight=10.0,
        pool_size=50,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            image_shape=image_shape,
            pixel_range=(-1.0, 1.0),
            seed=seed,
            **kwargs,
        )
        if float(reconstruction_weight) < 0:
            raise ValueError(
                "Expected reconstruction_weight >= 0. Received "
                f"{reconstruction_weight}."
            )
        self.reconstruction_weight = float(reconstruction_weight)
        self.generator_ab = generator_ab or self.build_generator("ab")
        self.generator_ba = generator_ba or self.build_generator("ba")
        self.discriminator_a = discriminator_a or self.build_discriminator("a")
        self.discriminator_b = discriminator_b or self.build_discriminator("b")
        for first, second in (
            (self.generator_ab, self.generator_ba),
            (self.discriminator_a, self.discriminator_b),
        ):
            shared = {id(v) for v in first.trainable_variables} & {
                id(v) for v in second.trainable_variables
            }
            if shared:
                raise ValueError(
                    f"{type(self).__name__} expected four networks with "
                    f"their own weights. Received {first.name} and "
                    f"{second.name}, which share {len(shared)} variables."
                )
        for net in (self.generator_ab, self.generator_ba):
            self._check_network(net, self.image_shape)
        if isinstance(pool_size, bool) or int(pool_size) != pool_size:
            raise ValueError(
                f"Expected pool_size to be an int. Received {pool_size!r}."
            )
        if pool_size < 0:
            raise ValueError(
                f"Expected pool_size >= 0. Received pool_size={pool_size}."
            )
        self.pool_size = int(pool_size)
        pool_seeds = (None, None) if seed is None else (seed, seed + 1)
        self.pool_a = ImagePool(self.pool_size, pool_seeds[0], name="pool_a")
        self.pool_b = ImagePool(self.pool_size, pool_seeds[1], name="pool_b")
        batch_shape = (None, *self.image_shape)
        self.pool_a.build(batch_shape)
        self.pool_b.build(batch_shape)
        self.built = True

    def _check_network(self, net, image_shape):
        shape = tuple(net.compute_output_shape((None, *image_shape))[1:])
        if shape != tuple(image_shape):
            raise ValueError(
                f"{type(self).__name__} expected generators that map "
                f"{tuple(image_shape)} images to {tuple(image_shape)} images. "
                f"Received {net.name} with output shape {shape}."
            )

    # -- Subclass interface ------------------------------------------------

    def build_generator(self, direction):
        raise NotImplementedError

    def build_discriminator(self, domain):
        raise NotImplementedError

    def generator_adversarial_loss(self, scores):
        raise NotImplementedError

    def discriminator_adversarial_loss(self, real_scores, fake_scores):
        raise NotImplementedError

    def reconstruction_loss(self, images, reconstructions):
        raise NotImplementedError

    def extra_generator_losses(self, a, b, training=True):
        """Further generator terms: `(weighted_loss, logs)`."""
        return 0.0, {}

    # -- Translation -------------------------------------------------------

    def translate_a_to_b(self, images, batch_size=32):
        """`G_AB(images)`: A images in [-1, 1] to B images in [-1, 1].

        Inference: in batches, without gradients, in inference mode (use
        `generator_ab` inside a differentiable computation).

        Args:
            images: array. A images in [-1, 1].
            batch_size: int. Images per forward pass. Defaults to 32.

        Returns:
            A NumPy array of the images' shape.
        """
        return numpy_outputs(self.generator_ab, images, batch_size)

    def translate_b_to_a(self, images, batch_size=32):
        """`G_BA(images)`: B images in [-1, 1] to A images in [-1, 1].

        Like `translate_a_to_b`, with `generator_ba`.
        """
        return numpy_outputs(self.generator_ba, images, batch_size)

    def call(self, inputs, training=False):
        """Translates A images to B with `generator_ab`."""
        return self.generator_ab(inputs, training=training)

    # -- Training step -----------------------------------------------------

    def default_optimizers(self):
        raise NotImplementedError

    def optimizer_targets(self):
        return {
            "generator_ab_optimizer": self.generator_ab.trainable_variables,
            "generator_ba_optimizer": self.generator_ba.trainable_variables,
            "discriminator_a_optimizer": (
                self.discriminator_a.trainable_variables
            ),
            "discriminator_b_optimizer": (
                self.discriminator_b.trainable_variables
            ),
        }

    def train_updates(self):
        return [
            Update(
                OPTIMIZER_NAMES[:2],
                (
                    self.generator_ab.trainable_variables,
                    self.generator_ba.trainable_variables,
                ),
                self.generator_loss,
            ),
            Update(
                OPTIMIZER_NAMES[2:],
                (
                    self.discriminator_a.trainable_variables,
                    self.discriminator_b.trainable_variables,
                ),
                self.discriminator_loss,
            ),
        ]

    def unpack_batch(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} expected unpaired batches (a, b) of "
                "domain A and domain B images. Received images of one "
                "domain only."
            )
        name = type(self).__name__
        validation.check_image_batch(x, self.image_shape, name + " (domain A)")
        validation.check_image_batch(y, self.image_shape, name + " (domain B)")
        return x, y

    def fit(self, x=None, y=None, **kwargs):
        """Trains on unpaired `(a, b)` batches; see `keras.Model.fit`.

        Both domains' images are checked first (shape, range, NaN).
        """
        name = type(self).__name__
        if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
            x, y = x
        if y is not None and hasattr(x, "shape") and hasattr(y, "shape"):
            if len(x) != len(y):
                raise ValueError(
                    f"{name}.fit(x=a, y=b) pairs the arrays row by row, so "
                    f"it expects as many A as B images. Received {len(x)} "
                    f"and {len(y)}. Use keras_aegan.datasets.load_unpaired "
                    "or a tf.data.Dataset of (a, b) batches for domains of "
                    "different sizes."
                )
        if y is not None:
            validation.check_training_data(
                x, self.image_shape, self.pixel_range, name + " (domain A)"
            )
            validation.check_training_data(
                y, self.image_shape, self.pixel_range, name + " (domain B)"
            )
        else:
            first = validation.first_batch(x, name)
            if first is not None and not (
                isinstance(first, (tuple, list)) and len(first) >= 2
            ):
                raise ValueError(
                    f"{name}.fit() expected unpaired batches (a, b): a "
                    "dataset of pairs of image batches, or fit(x=a, y=b). "
                    "Received batches of one tensor."
                )
            for key, domain in ((0, "A"), (1, "B")):
                validation.check_training_data(
                    x,
                    self.image_shape,
                    self.pixel_range,
                    f"{name} (domain {domain})",
                    image_key=key,
                )
        return keras.Model.fit(self, x, y, **kwargs)

    def generator_loss(self, a, b, training=True):
        """The generators' joint loss (Zhu et al. 2017, eq. 3)."""
        fake_b = self.generator_ab(a, training=training)
        fake_a = self.generator_ba(b, training=training)
        rec_a = self.generator_ba(fake_b, training=training)
        rec_b = self.generator_ab(fake_a, training=training)
        g_ab = self.generator_adversarial_loss(
            self.discriminator_b(fake_b, training=training)
        )
        g_ba = self.generator_adversarial_loss(
            self.discriminator_a(fake_a, training=training)
        )
        cycle_a = self.reconstruction_loss(a, rec_a)
        cycle_b = self.reconstruction_loss(b, rec_b)
        extra, extra_logs = self.extra_generator_losses(a, b, training)
        g_loss = (
            g_ab
            + g_ba
            + self.reconstruction_weight * (cycle_a + cycle_b)
            + extra
        )
        logs = {
            "g_loss": g_loss,
            "g_ab_loss": g_ab,
            "g_ba_loss": g_ba,
            "cycle_a_loss": cycle_a,
            "cycle_b_loss": cycle_b,
        }
        logs.update(extra_logs)
        return g_loss, logs

    def discriminator_loss(self, a, b, training=True):
        """Both discriminators' losses, summed (their variables are
        disjoint, so each gets the gradient of its own term).

        The generated images come from the generators as they are after
        this step's generator update (two more generator passes, without
        gradients); the reference code reuses the images of the generator
        pass, drawn before that update.
        """
        fake_b = ops.stop_gradient(self.generator_ab(a, training=training))
        fake_a = ops.stop_gradient(self.generator_ba(b, training=training))
        if training:
            fake_b = self.pool_b(fake_b)
            fake_a = self.pool_a(fake_a)
        d_a = self.discriminator_adversarial_loss(
            self.discriminator_a(a, training=training),
            self.discriminator_a(fake_a, training=training),
        )
        d_b = self.discriminator_adversarial_loss(
            self.discriminator_b(b, training=training),
            self.discriminator_b(fake_b, training=training),
        )
        return d_a + d_b, {"d_a_loss": d_a, "d_b_loss": d_b}

    def evaluation_logs(self, x, y):
        # Inference mode: no batch-norm statistics move, and the image
        # pools stay as they are.
        _, logs = self.generator_loss(x, y, training=False)
        _, d_logs = self.discriminator_loss(x, y, training=False)
        logs.update(d_logs)
        return logs

    # -- Serialization -----------------------------------------------------

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                name: keras.saving.serialize_keras_object(getattr(self, name))
                for name in NETWORKS
            }
        )
        config.update(
            {
                "reconstruction_weight": self.reconstruction_weight,
                "pool_size": self.pool_size,
            }
        )
        return config
