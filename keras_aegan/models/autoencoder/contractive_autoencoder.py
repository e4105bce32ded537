"""The contractive autoencoder (Rifai et al. 2011)."""

from keras_aegan import losses
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.autoencoder.autoencoder import Autoencoder


@keras_aegan_export("keras_aegan.models.ContractiveAutoencoder")
class ContractiveAutoencoder(Autoencoder):
    """Contractive autoencoder (Rifai et al., ICML 2011).

    Adds a contraction penalty, the squared Frobenius norm of the
    encoder's Jacobian (Rifai et al., eq. 2 and 3):
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
