"""CycleGAN (Zhu et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    OPTIMIZER_NAMES,
)
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    UnpairedTranslationModel,
)
from keras_aegan.schedules import LinearDecay


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

    schedule_from_fit = True

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
            rate = _half_then_decay(2e-4, *schedule)
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

    def replan(self, epochs, steps_per_epoch):
        """Plans the learning-rate decay again for another number of epochs.

        For a run resumed with a new `--epochs`: every optimizer whose rate
        is a `LinearDecay` (the defaults after `compile(epochs=...)`) gets
        the decay that `compile(epochs=epochs, ...)` would have given it,
        at its own initial rate. The optimizers' step counts stay, so the
        rate of the next step is the new plan's rate at that step.

        Args:
            epochs: int. The run's new number of epochs.
            steps_per_epoch: int. Batches per epoch.

        Returns:
            The names of the optimizers replanned.
        """
        replanned = []
        for name in OPTIMIZER_NAMES:
            optimizer = self.optimizer[name]
            config = optimizer.get_config()["learning_rate"]
            rate = None
            if isinstance(config, dict):
                rate = keras.optimizers.schedules.deserialize(config)
            if isinstance(rate, LinearDecay):
                optimizer.learning_rate = _half_then_decay(
                    rate.initial_learning_rate, epochs, steps_per_epoch
                )
                replanned.append(name)
        self._schedule = (int(epochs), int(steps_per_epoch))
        return replanned

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


def _half_then_decay(rate, epochs, steps_per_epoch):
    """Section 4 of Zhu et al. 2017: the rate for the first half of the
    epochs, then a linear decay to 0 over the second half."""
    return LinearDecay(
        rate,
        constant_epochs=epochs - epochs // 2,
        decay_epochs=epochs // 2,
        steps_per_epoch=steps_per_epoch,
    )
