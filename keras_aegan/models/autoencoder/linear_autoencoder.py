"""The linear autoencoder, which learns the principal subspace (PCA)."""

import math

import keras
import numpy as np
from keras import layers
from keras import ops

from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.autoencoder.autoencoder import Autoencoder


def linear_encoder(image_shape, latent_dim, name="encoder"):
    """`z = W1 x`: a dense layer without bias on the flattened image."""
    images = keras.Input(image_shape, name="images")
    x = layers.Flatten()(images)
    z = layers.Dense(latent_dim, use_bias=False, name="w1")(x)
    return keras.Model(images, z, name=name)


def linear_decoder(latent_dim, image_shape, name="decoder"):
    """`x' = W2^T z`: a dense layer without bias, reshaped to the image."""
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(math.prod(image_shape), use_bias=False, name="w2")(z)
    outputs = layers.Reshape(image_shape)(x)
    return keras.Model(z, outputs, name=name)


def orthonormal_basis(matrix):
    """An orthonormal basis `(n, p)` of the column space of `matrix`."""
    q, _ = np.linalg.qr(np.asarray(matrix, "float64"))
    return q


@keras_aegan_export("keras_aegan.models.LinearAutoencoder")
class LinearAutoencoder(Autoencoder):
    """Linear autoencoder: principal component analysis by gradient descent.

    Baldi & Hornik, "Neural networks and principal component analysis:
    learning from examples without local minima", Neural Networks 1989.
    With `p x n` matrices `W1` and `W2`, the code is
    `z = W1 x`, the reconstruction `x' = W2^T z`, and gradient descent
    minimizes the squared reconstruction error
    `sum_i ||x_i - W2^T W1 x_i||^2` of the centred data (the mean image is
    stored by `adapt()`, or by `fit()` on arrays). Every local minimum is
    global, and there `W2^T W1` is the orthogonal projection on the
    principal subspace spanned by the top `p` eigenvectors of the data
    covariance: the rows of `W1` and `W2` span it, up to an invertible
    `p x p` matrix. `principal_subspace()` returns an orthonormal basis.

    The default optimizer is Adam with a large learning rate on full
    batches, which converges in a few hundred steps on MNIST; the rate of
    convergence to the subspace depends on the gap between the `p`-th and
    `(p+1)`-th eigenvalues.

    Args:
        encoder: keras.Model or None. Maps images to `z`. Defaults to
            `linear_encoder` (`W1`, no bias). A non-linear network trains
            but no longer computes PCA.
        decoder: keras.Model or None. Maps `z` to centred images. Defaults
            to `linear_decoder` (`W2^T`, no bias).
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Number of components `p`. Defaults to 8.
        pixel_range: tuple. `(low, high)` range of the images. Defaults to
            `(0.0, 1.0)`.
        learning_rate: float. Learning rate of the default Adam optimizer.
            Defaults to 1e-2.
        seed: int or None. Seed of the model's noise. Defaults to `None`.

    Example:
    ```python
    pca = keras_aegan.models.LinearAutoencoder(latent_dim=8)
    pca.compile()  # Adam(1e-2)
    pca.fit(images, epochs=300, batch_size=len(images), verbose=0)
    basis = pca.principal_subspace()  # (height * width * channels, 8)
    ```
    """

    def __init__(
        self,
        encoder=None,
        decoder=None,
        image_shape=(28, 28, 1),
        latent_dim=8,
        pixel_range=(0.0, 1.0),
        learning_rate=1e-2,
        seed=None,
        **kwargs,
    ):
        kwargs.pop("architecture", None)
        kwargs.pop("reconstruction", None)
        kwargs.pop("center", None)
        super().__init__(
            encoder=encoder,
            decoder=decoder,
            image_shape=image_shape,
            latent_dim=latent_dim,
            reconstruction="squared_error",
            pixel_range=pixel_range,
            center=True,
            learning_rate=learning_rate,
            seed=seed,
            **kwargs,
        )

    def default_networks(self):
        return (
            linear_encoder(self.image_shape, self.latent_dim),
            linear_decoder(self.latent_dim, self.image_shape),
        )

    def principal_subspace(self, matrix="decoder"):
        """An orthonormal basis `(n, p)` of the learned subspace.

        Args:
            matrix: str. `"decoder"` (the span of the rows of `W2`, where
                the reconstructions lie) or `"encoder"` (the rows of
                `W1`). The two agree at the optimum. Defaults to
                `"decoder"`.
        """
        if matrix == "decoder":
            # Decoding the unit codes gives the rows of W2 (for any linear
            # decoder without bias, not only the default one).
            eye = np.eye(self.latent_dim, dtype="float32")
            w = ops.convert_to_numpy(self.decoder(eye)).reshape(
                self.latent_dim, -1
            )
            w = w.T
        elif matrix == "encoder":
            w = ops.convert_to_numpy(self.encoder.get_layer("w1").kernel)
        else:
            raise ValueError(
                "Expected matrix='decoder' or 'encoder'. Received "
                f"matrix={matrix!r}."
            )
        return orthonormal_basis(w)

    def explained_variance(self, images):
        """Variance of the projected data along the learned subspace.

        Returns the eigenvalues of the data covariance restricted to the
        subspace, in decreasing order, to compare with PCA's top `p`.
        """
        x = np.asarray(ops.convert_to_numpy(images), "float64")
        x = x.reshape(len(x), -1)
        x = x - x.mean(axis=0)
        projected = x @ self.principal_subspace()
        cov = projected.T @ projected / len(x)
        return np.sort(np.linalg.eigvalsh(cov))[::-1]

    def get_config(self):
        config = super().get_config()
        for key in ("architecture", "reconstruction", "center"):
            del config[key]
        return config
