"""Deterministic autoencoders and their regularized variants.

The lecture's generalized autoencoder (eq. 2): an encoder `z = F(x, W1)`
and a decoder `x' = G(z, W2)` trained on a reconstruction loss plus a
regularizer that shapes the code: sparsity (L1 or KL), contraction
(`||dz/dx||^2`), denoising, or a supervised task on the code.
"""

import keras
import numpy as np
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import Autoencoding
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.training import Update

RECONSTRUCTIONS = ("bernoulli", "squared_error")
ARCHITECTURES = ("dense", "conv")
SPARSITY_PENALTIES = ("l1", "kl")
CORRUPTIONS = ("gaussian", "masking", "salt_and_pepper")


def _default_networks(architecture, image_shape, latent_dim, code_activation):
    if architecture == "conv":
        encoder = ae_networks.conv_code_encoder(
            image_shape, latent_dim, code_activation=code_activation
        )
        decoder = networks.conv_decoder(latent_dim, image_shape)
    else:
        encoder = ae_networks.dense_encoder(
            image_shape, latent_dim, code_activation=code_activation
        )
        decoder = ae_networks.dense_decoder(latent_dim, image_shape)
    return encoder, decoder


@keras_aegan_export("keras_aegan.models.Autoencoder")
class Autoencoder(Autoencoding, GenerativeModel):
    """Deep (dense or convolutional) autoencoder.

    The generalized autoencoder of the lecture (eq. 2, after Baldi &
    Hornik 1989 and Hinton & Salakhutdinov 2006): `z = F(x, W1)`,
    `x' = G(z, W2)`, trained to minimize
    `sum_i l(x_i, G(F(x_i, W1), W2)) + regularization`. The loss `l` is the
    Bernoulli negative log-likelihood of the decoder's logits (binary
    cross-entropy, for images in [0, 1]) or the squared error, both summed
    over the pixels of an example and averaged over the batch. Subclasses
    add the regularizers.

    Args:
        encoder: keras.Model or None. Maps images to codes
            `(batch, latent_dim)`. Defaults to `networks.dense_encoder` or
            `networks.conv_code_encoder`, after `architecture`.
        decoder: keras.Model or None. Maps codes to Bernoulli logits (or to
            reconstructions, for `"squared_error"`) shaped like the images.
            Defaults to `networks.dense_decoder` or `networks.conv_decoder`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of the code, used to build the default
            networks. Defaults to 32.
        architecture: str. `"dense"` or `"conv"`: the default networks.
            Defaults to `"dense"`.
        reconstruction: str. `"bernoulli"` (images in [0, 1], logits) or
            `"squared_error"`. Defaults to `"bernoulli"`.
        pixel_range: tuple. `(low, high)` range of the images. Must be
            `(0, 1)` for `"bernoulli"`. Defaults to `(0.0, 1.0)`.
        center: bool. Subtract the data mean (stored by `adapt()`) before
            encoding and add it back after decoding. Defaults to `False`.
        learning_rate: float. Learning rate of the default Adam optimizer.
            Defaults to 1e-3.
        seed: int or None. Seed of the model's noise. Defaults to `None`.

    Example:
    ```python
    ae = keras_aegan.models.Autoencoder(latent_dim=32, architecture="conv")
    ae.compile()  # Adam(1e-3)
    ae.fit(images_in_0_1, epochs=5, batch_size=128)
    codes = ae.encode(images_in_0_1[:10])
    ```
    """

    log_names = ("loss", "reconstruction_loss")
    default_code_activation = None

    def __init__(
        self,
        encoder=None,
        decoder=None,
        image_shape=(28, 28, 1),
        latent_dim=32,
        architecture="dense",
        reconstruction="bernoulli",
        pixel_range=(0.0, 1.0),
        center=False,
        learning_rate=1e-3,
        seed=None,
        **kwargs,
    ):
        if reconstruction not in RECONSTRUCTIONS:
            raise ValueError(
                f"Expected reconstruction in {RECONSTRUCTIONS}. Received "
                f"reconstruction={reconstruction!r}."
            )
        if architecture not in ARCHITECTURES:
            raise ValueError(
                f"Expected architecture in {ARCHITECTURES}. Received "
                f"architecture={architecture!r}."
            )
        if reconstruction == "bernoulli" and tuple(pixel_range) != (0, 1):
            raise ValueError(
                "A Bernoulli reconstruction takes images in [0, 1]. Received "
                f"pixel_range={pixel_range!r}; use "
                "reconstruction='squared_error' for other ranges."
            )
        super().__init__(
            image_shape=image_shape,
            pixel_range=pixel_range,
            seed=seed,
            **kwargs,
        )
        self.latent_dim = int(latent_dim)
        self.architecture = architecture
        self.reconstruction = reconstruction
        self.center = bool(center)
        self.learning_rate = float(learning_rate)
        if encoder is None or decoder is None:
            default_encoder, default_decoder = self.default_networks()
            encoder = encoder or default_encoder
            decoder = decoder or default_decoder
        self.encoder = encoder
        self.decoder = decoder
        if self.center:
            self.data_mean = self.add_weight(
                shape=self.image_shape,
                initializer="zeros",
                trainable=False,
                name="data_mean",
            )
            # Number of examples the mean was computed from; 0 until
            # `adapt()`. A variable, so that it is saved with the model.
            self.data_count = self.add_weight(
                shape=(),
                initializer="zeros",
                trainable=False,
                name="data_count",
            )
        self.built = True

    def default_networks(self):
        """The encoder and decoder built when none are given."""
        return _default_networks(
            self.architecture,
            self.image_shape,
            self.latent_dim,
            self.default_code_activation,
        )

    # -- Training interface ------------------------------------------------

    def default_optimizers(self):
        return {"optimizer": keras.optimizers.Adam(self.learning_rate)}

    def optimizer_targets(self):
        return {"optimizer": self.trainable_variables}

    def train_updates(self):
        return [Update("optimizer", self.trainable_variables, self.train_loss)]

    def train_loss(self, images, labels=None):
        """The loss of the training step (with noise and corruption)."""
        return self.loss_terms(images, labels, training=True)

    def evaluation_logs(self, x, y):
        _, logs = self.loss_terms(x, y, training=False)
        return logs

    # -- Data mean ---------------------------------------------------------

    def adapt(self, data):
        """Stores the mean image of `data` for `center=True`.

        Args:
            data: array of images, or an iterable of batches of images
                (e.g. a `tf.data.Dataset`; `(images, labels)` batches are
                accepted).
        """
        if not self.center:
            raise ValueError(
                f"{type(self).__name__}.adapt() stores the data mean of a "
                "model built with center=True."
            )
        if hasattr(data, "shape"):
            batches = [data]
        else:
            batches = data
        total = np.zeros(self.image_shape, "float64")
        count = 0
        for batch in batches:
            if isinstance(batch, (tuple, list)):
                batch = batch[0]
            batch = np.asarray(ops.convert_to_numpy(batch), "float64")
            total += batch.sum(axis=0)
            count += batch.shape[0]
        if count == 0:
            raise ValueError("adapt() received no images.")
        self.data_mean.assign((total / count).astype("float32"))
        self.data_count.assign(float(count))

    def fit(self, x=None, y=None, **kwargs):
        """Trains the model; see `keras.Model.fit`.

        With `center=True` the data mean is computed first from `x` when it
        is an array and `adapt()` has not been called.
        """
        if self.center and float(ops.convert_to_numpy(self.data_count)) == 0:
            if not hasattr(x, "shape"):
                raise ValueError(
                    f"{type(self).__name__}(center=True) needs the data "
                    "mean: call `model.adapt(data)` before fitting on a "
                    "dataset."
                )
            self.adapt(x)
        return super().fit(x, y, **kwargs)

    # -- Encoding and decoding ---------------------------------------------

    def _encode(self, images, training=False):
        """Maps images to their codes `z = F(x, W1)`."""
        images = ops.convert_to_tensor(images, dtype=self.compute_dtype)
        if self.center:
            images = images - self.data_mean
        return self.encoder(images, training=training)

    def decoder_outputs(self, z, training=False):
        """The decoder's raw outputs: logits, or centred reconstructions."""
        return self.decoder(z, training=training)

    def outputs_to_images(self, outputs):
        """Maps raw decoder outputs to images."""
        if self.reconstruction == "bernoulli":
            return ops.sigmoid(outputs)
        if self.center:
            return outputs + self.data_mean
        return outputs

    def _decode(self, z, training=False):
        """Maps codes to images `x' = G(z, W2)`."""
        return self.outputs_to_images(self.decoder_outputs(z, training))

    def call(self, images, training=False):
        return self._decode(self._encode(images, training), training)

    def reconstruction_error(self, images, outputs=None):
        """Per-example reconstruction loss `l(x, x')`, shape `(batch,)`.

        The Bernoulli negative log-likelihood in nats, or the squared
        error summed over pixels. It is the anomaly score of
        `keras_aegan.applications.reconstruction_scores`.

        Args:
            images: tensor. The clean images.
            outputs: tensor or None. Raw decoder outputs; computed from
                `images` when `None`. Defaults to `None`.
        """
        images = ops.convert_to_tensor(images, dtype=self.compute_dtype)
        if outputs is None:
            outputs = self.decoder_outputs(self._encode(images))
        if self.reconstruction == "bernoulli":
            return losses.bernoulli_negative_log_likelihood(images, outputs)
        if self.center:
            images = images - self.data_mean
        return losses.per_example_squared_error(images, outputs)

    # -- Regularizers (subclass hooks) -------------------------------------

    def corrupt(self, images):
        """The input seen by the encoder during training."""
        return images

    def code_penalty(self, images, z, labels, training):
        """Returns `(penalty, logs)`: the regularizer of eq. 2."""
        return 0.0, {}

    def loss_terms(self, images, labels=None, training=True):
        """The regularized reconstruction loss and its terms.

        Args:
            images: tensor. A batch of clean images.
            labels: tensor or None. Targets of a supervised head.
            training: bool. Whether to corrupt the input (denoising) and
                run the networks in training mode.

        Returns:
            `(loss, logs)`.
        """
        inputs = self.corrupt(images) if training else images
        z = self._encode(inputs, training=training)
        outputs = self.decoder_outputs(z, training=training)
        reconstruction = ops.mean(self.reconstruction_error(images, outputs))
        penalty, logs = self.code_penalty(images, z, labels, training)
        loss = reconstruction + penalty
        logs.update({"loss": loss, "reconstruction_loss": reconstruction})
        return loss, logs

    # -- Serialization -----------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "latent_dim": self.latent_dim,
                "architecture": self.architecture,
                "reconstruction": self.reconstruction,
                "center": self.center,
                "learning_rate": self.learning_rate,
            }
        )
        return config


@keras_aegan_export("keras_aegan.models.SparseAutoencoder")
class SparseAutoencoder(Autoencoder):
    """Autoencoder with a sparsity penalty on the code.

    The lecture's sparsity regularizers (eq. 2): the L1 norm of the code,
    `lambda * sum_j |z_j|` (Ranzato et al. 2007), or the KL penalty
    `lambda * sum_j KL(rho || rho_hat_j)` between a target activation
    `rho` and each unit's mean activation over the batch (Ng 2011,
    "Sparse autoencoder", section 3), zero exactly when every unit's mean
    equals `rho`. The default encoder's code is ReLU for `"l1"` and sigmoid
    for `"kl"`, which needs activations in (0, 1).

    Args:
        penalty: str. `"l1"` or `"kl"`. Defaults to `"kl"`.
        sparsity_weight: float. The weight `lambda`. Defaults to 1.0 for
            `"kl"` and 1e-2 for `"l1"` (when `None`).
        sparsity_target: float. The target `rho` of `"kl"`. Defaults to
            0.05.
        **kwargs: the arguments of `Autoencoder`.

    Example:
    ```python
    ae = keras_aegan.models.SparseAutoencoder(penalty="kl", latent_dim=64)
    ae.compile()
    ae.fit(images_in_0_1, epochs=5, batch_size=128)
    ```
    """

    log_names = ("loss", "reconstruction_loss", "sparsity_loss")

    def __init__(
        self,
        penalty="kl",
        sparsity_weight=None,
        sparsity_target=0.05,
        **kwargs,
    ):
        if penalty not in SPARSITY_PENALTIES:
            raise ValueError(
                f"Expected penalty in {SPARSITY_PENALTIES}. Received "
                f"penalty={penalty!r}."
            )
        if not 0.0 < sparsity_target < 1.0:
            raise ValueError(
                "Expected 0 < sparsity_target < 1. Received "
                f"sparsity_target={sparsity_target}."
            )
        self.penalty = penalty
        if sparsity_weight is None:
            sparsity_weight = 1.0 if penalty == "kl" else 1e-2
        self.sparsity_weight = float(sparsity_weight)
        self.sparsity_target = float(sparsity_target)
        super().__init__(**kwargs)

    @property
    def default_code_activation(self):
        return "sigmoid" if self.penalty == "kl" else "relu"

    def sparsity_penalty(self, z):
        """The unweighted sparsity term of a batch of codes."""
        if self.penalty == "l1":
            return losses.l1_sparsity_penalty(z)
        return losses.kl_sparsity_penalty(z, self.sparsity_target)

    def code_penalty(self, images, z, labels, training):
        sparsity = self.sparsity_penalty(z)
        return self.sparsity_weight * sparsity, {"sparsity_loss": sparsity}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "penalty": self.penalty,
                "sparsity_weight": self.sparsity_weight,
                "sparsity_target": self.sparsity_target,
            }
        )
        return config


@keras_aegan_export("keras_aegan.models.ContractiveAutoencoder")
class ContractiveAutoencoder(Autoencoder):
    """Contractive autoencoder (Rifai et al., ICML 2011).

    Adds the contraction of the lecture's eq. 2, the squared Frobenius
    norm of the encoder's Jacobian (Rifai et al., eq. 2 and 3):
    `loss = l(x, x') + lambda * ||dz/dx||_F^2`. The norm is computed
    exactly, one code unit at a time, by the training core's
    `input_gradient` (`losses.contractive_penalty`), and differentiated
    again with respect to the weights: the step costs about `latent_dim`
    extra backward passes, so keep codes small. The default encoder has a
    sigmoid code, as in Rifai et al. The encoder must not use batch
    normalization in training mode (it would mix the examples).

    Args:
        contractive_weight: float. The weight `lambda`. Defaults to 0.1.
        **kwargs: the arguments of `Autoencoder`.

    Example:
    ```python
    ae = keras_aegan.models.ContractiveAutoencoder(latent_dim=16)
    ae.compile()
    ae.fit(images_in_0_1, epochs=5, batch_size=128)
    ```
    """

    log_names = ("loss", "reconstruction_loss", "contractive_loss")
    default_code_activation = "sigmoid"

    def __init__(self, contractive_weight=0.1, **kwargs):
        if contractive_weight < 0:
            raise ValueError(
                "Expected contractive_weight >= 0. Received "
                f"contractive_weight={contractive_weight}."
            )
        self.contractive_weight = float(contractive_weight)
        super().__init__(**kwargs)

    def jacobian_penalty(self, images):
        """`||dz/dx||_F^2` averaged over the batch (Rifai et al., eq. 2)."""
        return losses.contractive_penalty(
            lambda x: self._encode(x, training=False),
            images,
            num_units=self.latent_dim,
        )

    def code_penalty(self, images, z, labels, training):
        contraction = self.jacobian_penalty(images)
        return self.contractive_weight * contraction, {
            "contractive_loss": contraction
        }

    def get_config(self):
        config = super().get_config()
        config["contractive_weight"] = self.contractive_weight
        return config


@keras_aegan_export("keras_aegan.models.DenoisingAutoencoder")
class DenoisingAutoencoder(Autoencoder):
    """Denoising autoencoder (Vincent et al., JMLR 2010).

    The encoder sees a corrupted image `x~ ~ q_D(x~ | x)` and the decoder
    must reconstruct the clean `x`: `loss = l(x, G(F(x~)))` (Vincent et al.,
    section 3.3 and eq. 5 with squared or cross-entropy loss). The
    corruptions of section 4.2: additive isotropic Gaussian noise
    `x~ = x + N(0, sigma^2 I)`, masking noise (a fraction `nu` of the
    pixels, chosen at random for each image, set to the low end of the
    pixel range) and salt-and-pepper noise (a fraction `nu` set to the low
    or high end with probability 1/2). Corruption uses the model's seed
    generator and is applied only in training: `evaluate()`, `encode()`
    and `reconstruct()` see clean images.

    Args:
        corruption: str. `"gaussian"`, `"masking"` or `"salt_and_pepper"`.
            Defaults to `"gaussian"`.
        noise_level: float. `sigma` of the Gaussian noise (in pixel units)
            or the fraction `nu` of corrupted pixels. Defaults to 0.3.
        **kwargs: the arguments of `Autoencoder`.

    Example:
    ```python
    dae = keras_aegan.models.DenoisingAutoencoder(
        corruption="masking", noise_level=0.25, seed=0
    )
    dae.compile()
    dae.fit(images_in_0_1, epochs=5, batch_size=128)
    clean = dae.reconstruct(noisy_images)
    ```
    """

    def __init__(self, corruption="gaussian", noise_level=0.3, **kwargs):
        if corruption not in CORRUPTIONS:
            raise ValueError(
                f"Expected corruption in {CORRUPTIONS}. Received "
                f"corruption={corruption!r}."
            )
        if noise_level < 0 or (corruption != "gaussian" and noise_level > 1):
            raise ValueError(
                "Expected noise_level >= 0 (and <= 1 for a fraction of "
                f"pixels). Received noise_level={noise_level}."
            )
        self.corruption = corruption
        self.noise_level = float(noise_level)
        super().__init__(**kwargs)

    def corrupt(self, images, seed=None):
        """Draws `x~ ~ q_D(x~ | x)` (Vincent et al. 2010, section 4.2).

        Args:
            images: tensor. Clean images.
            seed: int or None. With an int, the same seed gives the same
                corruption; with None, the model's seed generator advances.
                Defaults to `None`.
        """
        images = ops.convert_to_tensor(images)
        shape = ops.shape(images)
        low, high = self.pixel_range
        if self.corruption == "gaussian":
            return images + self.noise_level * self.latent_noise(shape, seed)
        u = self.uniform_noise(shape, seed)
        corrupted = u < self.noise_level
        if self.corruption == "masking":
            return ops.where(corrupted, low, images)
        # Salt and pepper: of the corrupted pixels, those with u below
        # nu / 2 go to the low end and the others to the high end, so each
        # end gets probability 1/2 with one uniform draw.
        salt = ops.where(u < 0.5 * self.noise_level, low, high)
        return ops.where(corrupted, salt, images)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"corruption": self.corruption, "noise_level": self.noise_level}
        )
        return config


@keras_aegan_export("keras_aegan.models.SupervisedAutoencoder")
class SupervisedAutoencoder(Autoencoder):
    """Autoencoder with a supervised head on the code (multi-task).

    The lecture's third regularizer of eq. 2 (after Le et al. 2018,
    "Supervised autoencoders"): a task loss `sum_i r(t_i, Q(z_i))` from a
    head `Q` on the code is added to the reconstruction,
    `loss = l(x, x') + lambda * r(t, Q(z))`. The labels come as `y` in
    `fit(images, labels)`. The default head is a dense layer to
    `num_classes` logits with the sparse categorical cross-entropy.

    Args:
        head: keras.Model or None. Maps codes to task outputs. Defaults to
            a dense layer with `num_classes` logits.
        num_classes: int. Number of classes of the default head. Defaults
            to 10.
        task_loss: str or keras.losses.Loss or None. The loss `r(t, Q(z))`.
            Defaults to `SparseCategoricalCrossentropy(from_logits=True)`.
        task_weight: float. The weight `lambda`. Defaults to 1.0.
        **kwargs: the arguments of `Autoencoder`.

    Example:
    ```python
    ae = keras_aegan.models.SupervisedAutoencoder(num_classes=10)
    ae.compile()
    ae.fit(images_in_0_1, labels, epochs=5, batch_size=128)
    logits = ae.predict_task(images_in_0_1[:10])
    ```
    """

    log_names = ("loss", "reconstruction_loss", "task_loss")

    def __init__(
        self,
        head=None,
        num_classes=10,
        task_loss=None,
        task_weight=1.0,
        **kwargs,
    ):
        self.num_classes = int(num_classes)
        self.task_weight = float(task_weight)
        if task_loss is None:
            task_loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True
            )
        self.task_loss = keras.losses.get(task_loss)
        super().__init__(**kwargs)
        if head is None:
            z = keras.Input((self.latent_dim,), name="z")
            logits = keras.layers.Dense(self.num_classes, name="logits")(z)
            head = keras.Model(z, logits, name="head")
        self.head = head
        self.built = True

    def fit(self, x=None, y=None, **kwargs):
        """Trains on `(images, labels)`; see `keras.Model.fit`."""
        if y is None and hasattr(x, "shape"):
            raise ValueError(
                "SupervisedAutoencoder trains on (images, labels): pass the "
                "labels as `y` to fit(). Received images only."
            )
        return super().fit(x, y, **kwargs)

    def predict_task(self, images):
        """The head's outputs `Q(F(x))` for clean images."""
        return self.head(self._encode(images), training=False)

    def code_penalty(self, images, z, labels, training):
        if labels is None:
            raise ValueError(
                "SupervisedAutoencoder trains on (images, labels): pass the "
                "labels as `y` to fit() and evaluate()."
            )
        task = self.task_loss(labels, self.head(z, training=training))
        return self.task_weight * task, {"task_loss": task}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "head": keras.saving.serialize_keras_object(self.head),
                "num_classes": self.num_classes,
                "task_loss": keras.saving.serialize_keras_object(
                    self.task_loss
                ),
                "task_weight": self.task_weight,
            }
        )
        return config
