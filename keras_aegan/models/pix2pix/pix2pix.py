"""Pix2Pix: paired image-to-image translation (Isola et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan import validation
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.networks.layers import check_norm
from keras_aegan.training import Update
from keras_aegan.training import check_augment_layer
from keras_aegan.training import numpy_outputs


@keras_aegan_export("keras_aegan.models.Pix2Pix")
class Pix2Pix(GenerativeModel):
    """Pix2Pix: a conditional GAN that learns a paired mapping `x -> y`.

    Isola, Zhu, Zhou & Efros, "Image-to-Image Translation with Conditional
    Adversarial Networks", CVPR 2017. The generator `G` maps an input
    image `x` to an output `G(x)`; the discriminator `D` scores pairs,
    `D(x, y)` against `D(x, G(x))` (the input concatenated with the
    output along the channels). The objective (eq. 1, 3, 4) is

        L_cGAN(G, D) = E[log D(x, y)] + E[log(1 - D(x, G(x)))]
        L_L1(G) = E[|y - G(x)|_1]
        G* = arg min_G max_D L_cGAN(G, D) + lambda L_L1(G)

    with lambda = 100. As in section 3.3, the generator maximizes
    `log D(x, G(x))` (the non-saturating form), and the discriminator's
    objective is divided by 2, which slows it relative to `G`. Noise
    enters only as dropout in the generator (section 3.1). One training
    step is one update of `D`, then one of `G`, each Adam(2e-4,
    beta_1=0.5).

    Networks (section 3.2 and 6.1): the U-Net generator of 4x4 stride-2
    convolutions with skip connections and dropout 0.5 in its three
    innermost decoder stages (`networks.unet`), and the PatchGAN
    discriminator (`networks.patchgan_discriminator`), whose scores each
    judge one patch: 70x70 with three stride-2 layers, the paper's choice
    for 256x256 images. Both normalize with batch normalization, as the
    paper does; with its batch size of 1 that is instance normalization
    (`norm="instance"`).

    At inference `translate()` and `call()` run `G` in inference mode
    (dropout off, batch normalization on its moving statistics), which
    makes the output a function of the input. The paper keeps dropout and
    the test batch's statistics at test time; call
    `model.generator(x, training=True)` for that.

    Inputs and outputs may differ in channels: a grey image to its colors
    (`input_channels=1`, `image_shape=(h, w, 3)`), or an image with a hole
    and the hole's mask to the whole image (`input_channels=4`). Both are
    in [-1, 1].

    `fit()` takes pairs: `fit(x=inputs, y=targets)` with arrays of the same
    length, or a `tf.data.Dataset` of `(inputs, targets)` batches, such as
    `keras_aegan.datasets.load_paired`. An `augment` layer, if any, is
    applied to each training pair as one image (the input and target
    concatenated along the channels), so that a random crop or flip moves
    both alike: `keras_aegan.networks.random_jitter(256)` is the paper's
    random jitter (section 6.2), in Keras core layers or keras-cv's.

    Args:
        generator: keras.Model or None. Maps `(h, w, input_channels)`
            images to `image_shape` images in [-1, 1]. Defaults to
            `networks.unet` with the paper's widths: 64, 128, 256, then
            512 for every further stage, down to a 1x1 grid.
        discriminator: keras.Model or None. Scores
            `(h, w, input_channels + channels)` pairs; raw logits, one per
            patch or one per image. Defaults to
            `networks.patchgan_discriminator`.
        image_shape: tuple. `(height, width, channels)` of the outputs
            and targets. Defaults to `(256, 256, 3)`.
        input_channels: int or None. Channels of the inputs; None gives
            the outputs' channels. Defaults to None.
        generator_filters: int. Filters of the default generator's first
            stage. Defaults to 64.
        discriminator_filters: int. Filters of the default discriminator's
            first layer. Defaults to 64.
        discriminator_layers: int. Stride-2 layers of the default
            PatchGAN after the first, minus one: 3 gives the 70x70
            PatchGAN, 2 a 34x34 one, 1 a 16x16 one (section 4.4). Defaults
            to 3.
        norm: str or None. `"batch"`, `"instance"` or None, for both
            default networks. Defaults to `"batch"`.
        dropout: float. Dropout rate of the default generator. Defaults
            to 0.5.
        residual: bool. The default generator adds its output to the
            image its input holds (`networks.InputResidual`: the bicubic
            image, the filled image, the grey image repeated), clipped to
            [-1, 1]: global residual learning (Kim et al., CVPR 2016,
            section 3.1). It starts at the task's baseline and learns the
            correction. Not in the paper. Defaults to False.
        l1_weight: float. Lambda of eq. 4. Defaults to 100.
        augment: keras layer or None. Applied to each training pair as
            one image (see above). Defaults to None.
        seed: int or None. Seed of the weights the model builds and of the
            dropout noise. Defaults to None.

    Example:
    ```python
    train = keras_aegan.datasets.load_paired(
        "cifar10", task="super_resolution", batch_size=64, seed=0
    )
    model = keras_aegan.models.Pix2Pix(
        image_shape=(32, 32, 3), discriminator_layers=2, seed=0
    )
    model.compile()  # Adam(2e-4, beta_1=0.5) for G and for D
    model.fit(train, epochs=10)
    sharp = model.translate(blurry)
    ```
    """

    translation = True
    paired = True

    log_names = ("d_loss", "g_loss", "g_gan_loss", "l1_loss", "d_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(256, 256, 3),
        input_channels=None,
        generator_filters=64,
        discriminator_filters=64,
        discriminator_layers=3,
        norm="batch",
        dropout=0.5,
        residual=False,
        l1_weight=100.0,
        augment=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            image_shape=image_shape,
            pixel_range=(-1.0, 1.0),
            seed=seed,
            **kwargs,
        )
        if input_channels is None:
            input_channels = self.image_shape[-1]
        validation.check_positive_int(
            input_channels, "input_channels", allow_none=False
        )
        if float(l1_weight) < 0:
            raise ValueError(
                f"Expected l1_weight >= 0. Received l1_weight={l1_weight}."
            )
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(
                f"Expected dropout in [0, 1). Received dropout={dropout}."
            )
        check_norm(norm)
        self.input_channels = int(input_channels)
        self.input_shape_ = (*self.image_shape[:2], self.input_channels)
        self.generator_filters = int(generator_filters)
        self.discriminator_filters = int(discriminator_filters)
        self.discriminator_layers = int(discriminator_layers)
        self.norm = norm
        self.dropout = float(dropout)
        self.residual = bool(residual)
        self.l1_weight = float(l1_weight)
        self.generator = generator or self.build_generator()
        self.discriminator = discriminator or self.build_discriminator()
        self._check_networks()
        check_augment_layer(augment, type(self).__name__)
        if isinstance(augment, keras.layers.Layer) and not augment.built:
            pair_channels = self.input_channels + self.image_shape[-1]
            augment.build((None, *self.image_shape[:2], pair_channels))
        self.augment = augment
        self.built = True

    def _check_networks(self):
        name = type(self).__name__
        shape = tuple(
            self.generator.compute_output_shape((None, *self.input_shape_))[1:]
        )
        if shape != self.image_shape:
            raise ValueError(
                f"{name} expected a generator that maps {self.input_shape_} "
                f"inputs to {self.image_shape} images. Received "
                f"{self.generator.name} with output shape {shape}."
            )
        # A functional discriminator declares the channels it takes.
        inputs = getattr(self.discriminator, "inputs", None) or []
        channels = [tuple(t.shape)[-1] for t in inputs]
        if len(channels) > 1 or (
            channels and channels[0] != self.pair_channels
        ):
            raise ValueError(
                f"{name} expected a discriminator of (input, output) pairs "
                f"with {self.pair_channels} channels (the input's "
                f"{self.input_channels}, then the output's "
                f"{self.image_shape[-1]}). Received {self.discriminator.name}"
                f", whose inputs have {channels} channels."
            )

    @property
    def pair_channels(self):
        return self.input_channels + self.image_shape[-1]

    # -- Networks ----------------------------------------------------------

    def build_generator(self):
        stages = networks.num_resolution_stages(
            self.input_shape_, max_stages=8, min_size=1
        )
        # C64-C128-C256-C512-C512-...: doubling up to 8x the first width.
        filters = tuple(
            self.generator_filters * min(2**i, 8) for i in range(stages)
        )
        return networks.unet(
            self.input_shape_,
            self.image_shape[-1],
            filters,
            norm=self.norm,
            dropout=self.dropout,
            residual=self.residual,
            name="generator",
        )

    def build_discriminator(self):
        return networks.patchgan_discriminator(
            (*self.image_shape[:2], self.pair_channels),
            filters=self.discriminator_filters,
            num_layers=self.discriminator_layers,
            norm=self.norm,
            name="discriminator",
        )

    def default_optimizers(self):
        def adam():
            return keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)

        return {
            "discriminator_optimizer": adam(),
            "generator_optimizer": adam(),
        }

    def optimizer_targets(self):
        return {
            "discriminator_optimizer": self.discriminator.trainable_variables,
            "generator_optimizer": self.generator.trainable_variables,
        }

    # -- Translation -------------------------------------------------------

    def call(self, inputs, training=False):
        """`G(inputs)`."""
        return self.generator(inputs, training=training)

    def translate(self, inputs, batch_size=32):
        """`G(inputs)` as a NumPy array, in batches and in inference mode.

        Args:
            inputs: array `(n, height, width, input_channels)` in [-1, 1].
            batch_size: int. Inputs per forward pass. Defaults to 32.
        """
        validation.check_image_batch(
            inputs, self.input_shape_, type(self).__name__
        )
        return numpy_outputs(self.generator, inputs, batch_size)

    # -- Training step -----------------------------------------------------

    def train_updates(self):
        return [
            Update(
                "discriminator_optimizer",
                self.discriminator.trainable_variables,
                self.discriminator_loss,
            ),
            Update(
                "generator_optimizer",
                self.generator.trainable_variables,
                self.generator_loss,
            ),
        ]

    def unpack_batch(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"{name} expected (input, target) pairs: fit(inputs, "
                "targets) or a dataset of (inputs, targets) batches. "
                "Received inputs only."
            )
        validation.check_image_batch(x, self.input_shape_, name + " (inputs)")
        validation.check_image_batch(y, self.image_shape, name + " (targets)")
        return x, y

    def fit(self, x=None, y=None, **kwargs):
        """Trains on `(inputs, targets)` pairs; see `keras.Model.fit`.

        Inputs and targets are checked first (shape, range, NaN): arrays
        whole, datasets on their first batch.
        """
        name = type(self).__name__
        if y is not None:
            if hasattr(x, "__len__") and len(x) != len(y):
                raise ValueError(
                    f"{name}.fit(x=inputs, y=targets) expected one target "
                    f"per input. Received {len(x)} inputs and {len(y)} "
                    "targets."
                )
            checks = ((x, 0, self.input_shape_), (y, 0, self.image_shape))
        else:
            first = validation.first_batch(x, name)
            if first is not None and not (
                isinstance(first, (tuple, list)) and len(first) >= 2
            ):
                raise ValueError(
                    f"{name}.fit() expected (input, target) pairs: "
                    "fit(inputs, targets) or a dataset of (inputs, targets) "
                    "batches. Received batches of one tensor."
                )
            checks = ((x, 0, self.input_shape_), (x, 1, self.image_shape))
        for data, key, shape in checks:
            what = "inputs" if shape is self.input_shape_ else "targets"
            validation.check_training_data(
                data, shape, self.pixel_range, f"{name} ({what})", key
            )
        return keras.Model.fit(self, x, y, **kwargs)

    def pair(self, inputs, outputs):
        """The discriminator's input: `(input, output)` along channels."""
        dtype = self.discriminator.compute_dtype
        return ops.concatenate(
            [ops.cast(inputs, dtype), ops.cast(outputs, dtype)], axis=-1
        )

    def jitter(self, x, y):
        """The `augment` layer on the pair as one image, split again."""
        if self.augment is None:
            return x, y
        joined = self.augment(ops.concatenate([x, y], axis=-1), training=True)
        return (
            joined[..., : self.input_channels],
            joined[..., self.input_channels :],
        )

    def discriminator_loss(self, x, y, training=True):
        """Half the cGAN loss of `D` (eq. 1 and section 3.3)."""
        if training:
            x, y = self.jitter(x, y)
        fake = ops.stop_gradient(self.generator(x, training=training))
        return self.discriminator_objective(
            self.discriminator(self.pair(x, y), training=training),
            self.discriminator(self.pair(x, fake), training=training),
        )

    def discriminator_objective(self, real_logits, fake_logits):
        """`-(E[log D(x, y)] + E[log(1 - D(x, G(x)))]) / 2`."""
        d_loss = 0.5 * losses.minimax_discriminator_loss(
            real_logits, fake_logits
        )
        return d_loss, {
            "d_loss": d_loss,
            "d_accuracy": losses.discriminator_accuracy(
                real_logits, fake_logits
            ),
        }

    def generator_loss(self, x, y, training=True):
        """`-E[log D(x, G(x))] + lambda E|y - G(x)|` (eq. 4)."""
        if training:
            x, y = self.jitter(x, y)
        fake = self.generator(x, training=training)
        fake_logits = self.discriminator(self.pair(x, fake), training=training)
        return self.generator_objective(fake_logits, fake, y)

    def generator_objective(self, fake_logits, fake, target):
        gan = losses.non_saturating_generator_loss(fake_logits)
        l1 = losses.mean_absolute_error(target, fake)
        g_loss = gan + self.l1_weight * l1
        return g_loss, {"g_loss": g_loss, "g_gan_loss": gan, "l1_loss": l1}

    def evaluation_logs(self, x, y):
        # Inference mode: no dropout, no moving-statistics updates.
        _, logs = self.discriminator_loss(x, y, training=False)
        _, g_logs = self.generator_loss(x, y, training=False)
        logs.update(g_logs)
        return logs

    # -- Serialization -----------------------------------------------------

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(
                    self.generator
                ),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "input_channels": self.input_channels,
                "generator_filters": self.generator_filters,
                "discriminator_filters": self.discriminator_filters,
                "discriminator_layers": self.discriminator_layers,
                "norm": self.norm,
                "dropout": self.dropout,
                "residual": self.residual,
                "l1_weight": self.l1_weight,
                "augment": keras.saving.serialize_keras_object(self.augment),
            }
        )
        return config
