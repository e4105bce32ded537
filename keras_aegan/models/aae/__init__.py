"""The adversarial autoencoder (Makhzani et al. 2015)."""

from keras_aegan.models.aae.adversarial_autoencoder import (
    AdversarialAutoencoder,
)

__all__ = ["AdversarialAutoencoder"]
