"""The training step shared by the GAN family (Goodfellow et al. 2014,
algorithm 1)."""

import dataclasses

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import validation
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.generative_model import Sampling
from keras_aegan.training import Update
from keras_aegan.training import check_augment_layer
from keras_aegan.training.updates import repeat_batch

GENERATOR_LOSSES = ("non_saturating", "minimax")


class MinimaxGame:
    """The objectives of the original GAN game (Goodfellow et al. 2014),
    for `GAN` and `ConditionalGAN`: the discriminator minimizes
    `-E[log D(x)] - E[log(1 - D(G(z)))]` (eq. 1), and the generator either
    minimizes `E[log(1 - D(G(z)))]` (`"minimax"`) or maximizes
    `E[log D(G(z))]` (`"non_saturating"`, section 3)."""

    def set_generator_loss_type(self, generator_loss_type, kwargs):
        """Checks and sets `generator_loss_type`, taking the deprecated
        name `generator_loss` from `kwargs` (configs saved before the
        rename hold it)."""
        owner = type(self).__name__
        generator_loss_type = validation.renamed_argument(
            kwargs,
            "generator_loss",
            "generator_loss_type",
            generator_loss_type,
            "non_saturating",
            owner,
        )
        if generator_loss_type not in GENERATOR_LOSSES:
            raise ValueError(
                f"{owner} expected generator_loss_type in "
                f"{GENERATOR_LOSSES}. Received "
                f"generator_loss_type={generator_loss_type!r}."
            )
        self.generator_loss_type = generator_loss_type

    def discriminator_objective(self, real, fake):
        d_loss = losses.minimax_discriminator_loss(real.outputs, fake.outputs)
        accuracy = losses.discriminator_accuracy(real.outputs, fake.outputs)
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_objective(self, fake):
        if self.generator_loss_type == "minimax":
            g_loss = losses.minimax_generator_loss(fake.outputs)
        else:
            g_loss = losses.non_saturating_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}


@dataclasses.dataclass
class AdversarialSide:
    """What the discriminator saw of the real or the generated batch.

    Args:
        images: tensor. The images given to the discriminator, after the
            augmentation, if any.
        labels: tensor or None. Their class labels (conditional models).
        outputs: tensor or list. The discriminator's outputs.
    """

    images: object
    labels: object
    outputs: object


@keras_aegan_export("keras_aegan.models.AdversarialModel")
class AdversarialModel(Sampling, GenerativeModel):
    """Shared training step of the GAN family.

    One step runs `discriminator_steps` discriminator updates, each on the
    data batch and freshly generated images, then one generator update (the
    loop of Goodfellow et al. 2014, algorithm 1, and of Arjovsky et al.
    2017 and Gulrajani et al. 2017, algorithm 1). A subclass gives the
    default networks, optimizers and the loss pair:

    - `build_generator()` and `build_discriminator()`;
    - `default_optimizers()`;
    - `discriminator_objective(real, fake)` and `generator_objective(fake)`,
      which receive `AdversarialSide`s and return `(loss, logs)`.

    Shared options: an augmentation applied to every discriminator input
    (DiffAugment, Zhao et al. 2020), an exponential moving average of the
    generator's weights used for sampling (Karras et al. 2018, Yazici et
    al. 2019), and a hook run after each discriminator update
    (`after_discriminator_update`, e.g. the weight clipping of WGAN).

    Args:
        generator: keras.Model or None. Maps `z` (or `[z, labels]`) to
            images. Defaults to `build_generator()`.
        discriminator: keras.Model or None. Maps images (or
            `[images, labels]`) to scores. Defaults to
            `build_discriminator()`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. Discriminator updates per generator
            update (`k`, or `n_critic`). Defaults to 1.
        augment: keras layer, callable or None. Applied with
            `training=True` to real and generated images before the
            discriminator, e.g. `keras_aegan.models.DiffAugment()` or a
            Keras preprocessing layer; it must be differentiable.
            Defaults to `None`.
        ema_decay: float or None. With a float in [0, 1), `generate()` and
            `call()` use an exponential moving average of the generator's
            trainable weights, updated after every generator update:
            `w_ema <- decay * w_ema + (1 - decay) * w`. Defaults to `None`.
        seed: int or None. Seed of the model's noise. Defaults to `None`.
    """

    log_names = ("d_loss", "g_loss")
    # Whether the discriminator's update calls it once on the real and
    # generated images concatenated, rather than once on each. Networks
    # that write their weights during the forward pass need it on PyTorch
    # (`keras.layers.SpectralNormalization`); it changes batch statistics.
    joint_discriminator_call = False
    # Whether each of the `discriminator_steps` updates sees its own rows
    # of the step's batch (`WassersteinModel` sets it per instance).
    fresh_real_batches = False

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=100,
        discriminator_steps=1,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if int(discriminator_steps) < 1:
            raise ValueError(
                "Expected discriminator_steps >= 1. Received "
                f"discriminator_steps={discriminator_steps}."
            )
        if ema_decay is not None and not 0.0 <= float(ema_decay) < 1.0:
            raise ValueError(
                "Expected ema_decay in [0, 1) or None. Received "
                f"ema_decay={ema_decay}."
            )
        super().__init__(
            image_shape=image_shape,
            pixel_range=(-1.0, 1.0),
            seed=seed,
            **kwargs,
        )
        self.latent_dim = int(latent_dim)
        self.discriminator_steps = int(discriminator_steps)
        self.generator = generator or self.build_generator()
        self.discriminator = discriminator or self.build_discriminator()
        check_augment_layer(augment, type(self).__name__)
        if isinstance(augment, keras.layers.Layer) and not augment.built:
            # Keras builds unbuilt layers by calling the model on a batch.
            augment.build((None, *self.image_shape))
        self.augment = augment
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.ema_weights = []
        if self.ema_decay is not None:
            for w in self.generator.trainable_variables:
                shadow = self.add_weight(
                    shape=w.shape,
                    initializer="zeros",
                    dtype=w.dtype,
                    trainable=False,
                    aggregation="mean",
                    name=f"ema_{w.path.replace('/', '_')}",
                )
                # A copy: on JAX, sharing w's buffer would donate it twice.
                shadow.assign(ops.copy(w))
                self.ema_weights.append(shadow)
        self.built = True

    # -- Subclass interface ------------------------------------------------

    def build_generator(self):
        """The default generator for `image_shape` and `latent_dim`."""
        raise NotImplementedError

    def build_discriminator(self):
        """The default discriminator for `image_shape`."""
        raise NotImplementedError

    def discriminator_objective(self, real, fake):
        """Returns `(loss, logs)` of the discriminator from two sides."""
        raise NotImplementedError

    def generator_objective(self, fake):
        """Returns `(loss, logs)` of the generator from the fake side."""
        raise NotImplementedError

    def after_discriminator_update(self):
        """Runs after each discriminator update; assigns in `keras.ops`."""

    # -- Training step -----------------------------------------------------

    def optimizer_targets(self):
        return {
            "discriminator_optimizer": self.discriminator.trainable_variables,
            "generator_optimizer": self.generator.trainable_variables,
        }

    def train_updates(self):
        hook = None
        if (
            type(self).after_discriminator_update
            is not AdversarialModel.after_discriminator_update
        ):
            hook = self.after_discriminator_update
        generator_loss = self.generator_loss
        steps = self.discriminator_steps
        if self.fresh_real_batches and steps > 1:
            # The generator's update draws as many noise vectors as one
            # critic update sees real images (m in algorithm 1).
            def generator_loss(x, y):
                return self.generator_loss(*repeat_batch(x, y, 0, steps))

        return [
            Update(
                "discriminator_optimizer",
                self.discriminator.trainable_variables,
                self.discriminator_loss,
                repeats=steps,
                after_apply=hook,
                batch_per_repeat=self.fresh_real_batches,
            ),
            Update(
                "generator_optimizer",
                self.generator.trainable_variables,
                generator_loss,
                after_apply=self._update_ema if self.ema_weights else None,
            ),
        ]

    @property
    def real_batches_per_step(self):
        """How many minibatches of real images one training step takes:
        `discriminator_steps` when each critic update sees its own, else 1.
        Batch the data with this many times the minibatch size."""
        if self.fresh_real_batches:
            return self.discriminator_steps
        return 1

    def sample_latent(self, batch_size, seed=None):
        """Draws a batch of `z ~ N(0, I)`."""
        return self.latent_noise((batch_size, self.latent_dim), seed=seed)

    def discriminate(self, images, labels=None, training=True):
        """The discriminator's outputs on (augmented) images."""
        if self.augment is not None and training:
            images = self.augment(images, training=True)
        return images, self.discriminator(images, training=training)

    def generate_batch(self, batch_size, training=True):
        """Generated images for one step and their labels (or None)."""
        z = self.sample_latent(batch_size)
        return self.generator(z, training=training), None

    def discriminator_loss(self, images, labels=None):
        batch_size = ops.shape(images)[0]
        fake, fake_labels = self.generate_batch(batch_size)
        if self.joint_discriminator_call and labels is None:
            real_seen, real_out, fake_seen, fake_out = self._joint_call(
                images, fake
            )
        else:
            real_seen, real_out = self.discriminate(images, labels)
            fake_seen, fake_out = self.discriminate(fake, fake_labels)
        return self.discriminator_objective(
            AdversarialSide(real_seen, labels, real_out),
            AdversarialSide(fake_seen, fake_labels, fake_out),
        )

    def _joint_call(self, real, fake):
        # One discriminator call on the real and generated images together.
        if self.augment is not None:
            real = self.augment(real, training=True)
            fake = self.augment(fake, training=True)
        outputs = self.discriminator(
            ops.concatenate([real, fake], axis=0), training=True
        )
        real_out, fake_out = ops.split(outputs, 2, axis=0)
        return real, real_out, fake, fake_out

    def generator_loss(self, images, labels=None):
        batch_size = ops.shape(images)[0]
        fake, fake_labels = self.generate_batch(batch_size)
        fake_seen, fake_out = self.discriminate(fake, fake_labels)
        return self.generator_objective(
            AdversarialSide(fake_seen, fake_labels, fake_out)
        )

    def _update_ema(self):
        decay = self.ema_decay
        for shadow, w in zip(
            self.ema_weights, self.generator.trainable_variables, strict=True
        ):
            shadow.assign(decay * shadow + (1.0 - decay) * w)

    # -- Sampling ----------------------------------------------------------

    def call(self, inputs, training=False):
        """The sampling generator: the moving average when `ema_decay`."""
        if not self.ema_weights or training:
            return self.generator(inputs, training=training)
        outputs, _ = self.generator.stateless_call(
            [w.value for w in self.ema_weights],
            [w.value for w in self.generator.non_trainable_variables],
            inputs,
            training=False,
        )
        return outputs

    def sample_prior(self, num_samples, seed=None):
        """The latent prior of `generate` (`Sampling`): `sample_latent`."""
        return self.sample_latent(num_samples, seed=seed)

    def _decode(self, z, training=False):
        # `generate` samples with `call`: the EMA generator when
        # `ema_decay`.
        return self(z, training=training)

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
                "latent_dim": self.latent_dim,
                "discriminator_steps": self.discriminator_steps,
                "augment": keras.saving.serialize_keras_object(self.augment),
                "ema_decay": self.ema_decay,
            }
        )
        return config
