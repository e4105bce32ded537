"""The sparse autoencoder (Ranzato et al. 2007; Ng 2011)."""

from keras_aegan import losses
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.autoencoder.autoencoder import Autoencoder

SPARSITY_PENALTIES = ("l1", "kl")


@keras_aegan_export("keras_aegan.models.SparseAutoencoder")
class SparseAutoencoder(Autoencoder):
    """Autoencoder with a sparsity penalty on the code.

    Two sparsity regularizers of the code: its L1 norm,
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
