"""The deep autoencoder (Baldi & Hornik 1989; Hinton & Salakhutdinov 2006)."""

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

ARCHITECTURES = ("dense", "conv")


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

    The generalized autoencoder (Baldi & Hornik 1989; Hinton &
    Salakhutdinov 2006): `z = F(x, W1)`,
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
        losses.check_reconstruction(reconstruction)
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
        if self.center and self.reconstruction == "squared_error":
            images = images - self.data_mean
        return losses.reconstruction_error(self.reconstruction, images, outputs)

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
