"""Unpaired image-to-image translation: CycleGAN and DiscoGAN."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan import validation
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan import _serialize
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.image_pool import ImagePool
from keras_aegan.schedules import LinearDecay
from keras_aegan.training import Update
from keras_aegan.training import numpy_outputs

OPTIMIZER_NAMES = (
    "generator_ab_optimizer",
    "generator_ba_optimizer",
    "discriminator_a_optimizer",
    "discriminator_b_optimizer",
)


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
            first = validation._first_batch(x, name)
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
                "generator_ab": _serialize(self.generator_ab),
                "generator_ba": _serialize(self.generator_ba),
                "discriminator_a": _serialize(self.discriminator_a),
                "discriminator_b": _serialize(self.discriminator_b),
                "reconstruction_weight": self.reconstruction_weight,
                "pool_size": self.pool_size,
            }
        )
        return config


@keras_aegan_export("keras_aegan.models.CycleGAN")
class CycleGAN(UnpairedTranslationModel):
    """CycleGAN: unpaired translation with cycle consistency.

    Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017. The full objective
    (eq. 3) with the least-squares adversarial loss of section 4:

        L = L_GAN(G_AB, D_B) + L_GAN(G_BA, D_A)
            + lambda * (E|G_BA(G_AB(a)) - a|_1 + E|G_AB(G_BA(b)) - b|_1)
            + identity_weight * lambda
              * (E|G_AB(b) - b|_1 + E|G_BA(a) - a|_1)

    where the generators minimize `E[(D(G(x)) - 1)^2]` and each
    discriminator `1/2 E[(D(y) - 1)^2] + 1/2 E[D(G(x))^2]` (Mao et al.
    2017, eq. 2). The identity term is the one of section 5.2 (Taigman et
    al. 2017), weighted `0.5 * lambda` in the authors' code. Training
    details of section 4: lambda = 10; discriminators fed from a history
    of 50 generated images per domain (`ImagePool`); Adam with learning
    rate 2e-4 and beta_1 = 0.5; constant rate for the first half of
    training, then linear decay to 0 (`keras_aegan.schedules.LinearDecay`,
    set up by `compile(epochs=..., steps_per_epoch=...)`). Networks:
    the ResNet generator with 9 blocks for 256x256 images (6 below) and
    the 70x70 PatchGAN, both with instance normalization
    (`GroupNormalization(groups=-1)`, one group per channel; `groups=1`
    would be layer normalization).

    Each of the four networks has its own optimizer:
    `generator_ab_optimizer`, `generator_ba_optimizer`,
    `discriminator_a_optimizer`, `discriminator_b_optimizer`. The two
    generators are updated together from one gradient of their joint loss,
    as are the two discriminators, so with Adam this is the training of the
    paper; every optimizer's state is saved with the model.

    Args:
        generator_ab: keras.Model or None. Defaults to
            `networks.resnet_generator` (or `networks.unet` with
            `generator="unet"`).
        generator_ba: keras.Model or None. Like `generator_ab`.
        discriminator_a: keras.Model or None. Defaults to
            `networks.patchgan_discriminator`.
        discriminator_b: keras.Model or None. Like `discriminator_a`.
        image_shape: tuple. Defaults to `(256, 256, 3)`.
        generator: str. Default generator architecture, `"resnet"` or
            `"unet"`. Defaults to `"resnet"`.
        generator_filters: int. Filters of the default generators' first
            layer. Defaults to 64.
        num_residual_blocks: int or None. Blocks of the default ResNet
            generators; None gives 9 for images of 256 pixels or more, 6
            below. Defaults to None.
        generator_upsampling: str. Upsampling of the default ResNet
            generators: `"transpose"` (the paper) or `"resize"`
            (resize-convolution, no checkerboard artifacts; see
            `networks.resnet_generator`). Defaults to `"transpose"`.
        discriminator_filters: int. Filters of the default discriminators'
            first layer. Defaults to 64.
        cycle_weight: float. Lambda of eq. 3. Defaults to 10.
        identity_weight: float. The identity loss weight as a fraction of
            lambda; 0 turns it off (and saves two generator passes).
            Defaults to 0.5.
        pool_size: int. Images in each domain's history. Defaults to 50.
        seed: int or None. Seed of the pools. Defaults to None.

    Example:
    ```python
    train = keras_aegan.datasets.load_unpaired(
        "horse2zebra", image_size=64, load_size=72, batch_size=1
    )
    model = keras_aegan.models.CycleGAN(
        image_shape=(64, 64, 3), generator_filters=32, num_residual_blocks=6
    )
    model.compile(epochs=20, steps_per_epoch=int(train.cardinality()))
    model.fit(train, epochs=20)
    zebras = model.translate_a_to_b(horses)
    ```
    """

    log_names = UnpairedTranslationModel.log_names + (
        "identity_a_loss",
        "identity_b_loss",
    )

    def __init__(
        self,
        generator_ab=None,
        generator_ba=None,
        discriminator_a=None,
        discriminator_b=None,
        image_shape=(256, 256, 3),
        generator="resnet",
        generator_filters=64,
        num_residual_blocks=None,
        generator_upsampling="transpose",
        discriminator_filters=64,
        cycle_weight=10.0,
        identity_weight=0.5,
        pool_size=50,
        seed=None,
        **kwargs,
    ):
        if generator not in ("resnet", "unet"):
            raise ValueError(
                "Expected generator in ('resnet', 'unet'). Received "
                f"generator={generator!r}."
            )
        if generator_upsampling not in ("transpose", "resize"):
            raise ValueError(
                'Expected generator_upsampling "transpose" or "resize". '
                f"Received generator_upsampling={generator_upsampling!r}."
            )
        if float(identity_weight) < 0:
            raise ValueError(
                f"Expected identity_weight >= 0. Received {identity_weight}."
            )
        self.generator_kind = generator
        self.generator_filters = int(generator_filters)
        self.num_residual_blocks = num_residual_blocks
        self.generator_upsampling = generator_upsampling
        self.discriminator_filters = int(discriminator_filters)
        self.identity_weight = float(identity_weight)
        super().__init__(
            generator_ab=generator_ab,
            generator_ba=generator_ba,
            discriminator_a=discriminator_a,
            discriminator_b=discriminator_b,
            image_shape=image_shape,
            reconstruction_weight=cycle_weight,
            pool_size=pool_size,
            seed=seed,
            **kwargs,
        )

    @property
    def cycle_weight(self):
        return self.reconstruction_weight

    def build_generator(self, direction):
        name = f"generator_{direction}"
        if self.generator_kind == "unet":
            stages = networks.num_resolution_stages(
                self.image_shape, max_stages=8, min_size=1
            )
            filters = tuple(
                self.generator_filters * min(2**i, 8) for i in range(stages)
            )
            return networks.unet(
                self.image_shape, self.image_shape[-1], filters, name=name
            )
        blocks = self.num_residual_blocks
        if blocks is None:
            blocks = 9 if min(self.image_shape[:2]) >= 256 else 6
        return networks.resnet_generator(
            self.image_shape,
            filters=self.generator_filters,
            num_blocks=blocks,
            upsampling=self.generator_upsampling,
            name=name,
        )

    def build_discriminator(self, domain):
        return networks.patchgan_discriminator(
            self.image_shape,
            filters=self.discriminator_filters,
            name=f"discriminator_{domain}",
        )

    def default_optimizers(self):
        """Adam(2e-4, beta_1=0.5) for each network; after
        `compile(epochs=..., steps_per_epoch=...)`, the rate decays
        linearly to 0 over the second half of training (section 4)."""
        rate = 2e-4
        schedule = getattr(self, "_schedule", None)
        if schedule is not None:
            epochs, steps_per_epoch = schedule
            rate = LinearDecay(
                2e-4,
                constant_epochs=epochs - epochs // 2,
                decay_epochs=epochs // 2,
                steps_per_epoch=steps_per_epoch,
            )
        return {
            name: keras.optimizers.Adam(rate, beta_1=0.5, beta_2=0.999)
            for name in OPTIMIZER_NAMES
        }

    def compile(self, epochs=None, steps_per_epoch=None, **kwargs):
        """Configures the four optimizers.

        Args:
            epochs: int or None. With the number of training epochs, the
                default optimizers keep 2e-4 for the first half and decay
                linearly to 0 over the second (`LinearDecay`); without,
                the rate stays 2e-4. Defaults to None.
            steps_per_epoch: int or None. Batches per epoch, needed with
                `epochs` (the optimizers count steps). Defaults to None.
            **kwargs: `run_eagerly`, `jit_compile`, `steps_per_execution`
                and optimizers by name, as `GenerativeModel.compile`.
        """
        if epochs is not None:
            if not steps_per_epoch:
                raise ValueError(
                    "Expected steps_per_epoch with epochs=...: the learning "
                    "rate schedule counts optimizer steps. Received "
                    f"steps_per_epoch={steps_per_epoch!r}."
                )
            self._schedule = (int(epochs), int(steps_per_epoch))
        else:
            self._schedule = None
        super().compile(**kwargs)

    def generator_adversarial_loss(self, scores):
        # E[(D(G(x)) - 1)^2] (Zhu et al. 2017, eq. 2 with the LSGAN loss);
        # twice Mao et al.'s 1/2 E[(D(G(z)) - 1)^2].
        return 2.0 * losses.least_squares_generator_loss(scores)

    def discriminator_adversarial_loss(self, real_scores, fake_scores):
        return losses.least_squares_discriminator_loss(real_scores, fake_scores)

    def reconstruction_loss(self, images, reconstructions):
        return losses.mean_absolute_error(images, reconstructions)

    def extra_generator_losses(self, a, b, training=True):
        if self.identity_weight == 0:
            zero = ops.zeros(())
            return 0.0, {"identity_a_loss": zero, "identity_b_loss": zero}
        identity_b = losses.mean_absolute_error(
            self.generator_ab(b, training=training), b
        )
        identity_a = losses.mean_absolute_error(
            self.generator_ba(a, training=training), a
        )
        weight = self.identity_weight * self.reconstruction_weight
        return weight * (identity_a + identity_b), {
            "identity_a_loss": identity_a,
            "identity_b_loss": identity_b,
        }

    def get_config(self):
        config = super().get_config()
        config["cycle_weight"] = config.pop("reconstruction_weight")
        config.update(
            {
                "generator": self.generator_kind,
                "generator_filters": self.generator_filters,
                "num_residual_blocks": self.num_residual_blocks,
                "generator_upsampling": self.generator_upsampling,
                "discriminator_filters": self.discriminator_filters,
                "identity_weight": self.identity_weight,
            }
        )
        return config


@keras_aegan_export("keras_aegan.models.DiscoGAN")
class DiscoGAN(UnpairedTranslationModel):
    """DiscoGAN: cross-domain relations from two coupled GANs.

    Kim, Cha, Kim, Lee & Kim, "Learning to Discover Cross-Domain Relations
    with Generative Adversarial Networks", ICML 2017, section 3.3. Each
    generator has the standard GAN loss against the other domain's
    discriminator and a reconstruction loss through the other generator
    (eq. 5-6):

        L_G = L_GAN_B + L_CONST_A + L_GAN_A + L_CONST_B
        L_CONST_A = d(G_BA(G_AB(a)), a),  L_GAN_B = -E[log D_B(G_AB(a))]
        L_D = L_D_A + L_D_B,  L_D_B = -E[log D_B(b)]
                                      - E[log(1 - D_B(G_AB(a)))]

    with `d` the mean squared error (the paper's first choice) and the
    non-saturating generator loss. Networks of section 4: encoder-decoder
    generators and convolutional discriminators with batch normalization
    and leaky ReLU; Adam(2e-4, beta_1 = 0.5, beta_2 = 0.999). No image
    history.

    Args:
        generator_ab: keras.Model or None. Defaults to
            `networks.discogan_generator`.
        generator_ba: keras.Model or None.
        discriminator_a: keras.Model or None. One logit per image.
            Defaults to `networks.discogan_discriminator`.
        discriminator_b: keras.Model or None.
        image_shape: tuple. Defaults to `(64, 64, 3)` (the paper's size).
        filters: int. First-layer filters of the default networks.
            Defaults to 64.
        reconstruction_weight: float. Weight of `L_CONST`. Defaults to 1.
        pool_size: int. Defaults to 0 (no history).
        seed: int or None. Defaults to None.
    """

    def __init__(
        self,
        generator_ab=None,
        generator_ba=None,
        discriminator_a=None,
        discriminator_b=None,
        image_shape=(64, 64, 3),
        filters=64,
        reconstruction_weight=1.0,
        pool_size=0,
        seed=None,
        **kwargs,
    ):
        self.filters = int(filters)
        super().__init__(
            generator_ab=generator_ab,
            generator_ba=generator_ba,
            discriminator_a=discriminator_a,
            discriminator_b=discriminator_b,
            image_shape=image_shape,
            reconstruction_weight=reconstruction_weight,
            pool_size=pool_size,
            seed=seed,
            **kwargs,
        )

    def _stages(self):
        return networks.num_resolution_stages(self.image_shape, max_stages=4)

    def build_generator(self, direction):
        return networks.discogan_generator(
            self.image_shape,
            filters=self.filters,
            num_stages=self._stages(),
            name=f"generator_{direction}",
        )

    def build_discriminator(self, domain):
        return networks.discogan_discriminator(
            self.image_shape,
            filters=self.filters,
            num_stages=self._stages(),
            name=f"discriminator_{domain}",
        )

    def default_optimizers(self):
        return {
            name: keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)
            for name in OPTIMIZER_NAMES
        }

    def generator_adversarial_loss(self, scores):
        return losses.non_saturating_generator_loss(scores)

    def discriminator_adversarial_loss(self, real_scores, fake_scores):
        return losses.minimax_discriminator_loss(real_scores, fake_scores)

    def reconstruction_loss(self, images, reconstructions):
        return losses.mean_squared_error(images, reconstructions)

    def get_config(self):
        config = super().get_config()
        config["filters"] = self.filters
        return config
