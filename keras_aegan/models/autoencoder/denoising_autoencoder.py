"""The denoising autoencoder (Vincent et al. 2010)."""

from keras import ops

from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.autoencoder.autoencoder import Autoencoder

CORRUPTIONS = ("gaussian", "masking", "salt_and_pepper")


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
