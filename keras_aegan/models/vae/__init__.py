"""The variational autoencoder (Kingma & Welling 2014)."""

from keras_aegan.models.vae.vae import VAE
from keras_aegan.models.vae.vae_presets import VAE_PRESETS
from keras_aegan.presets import register_presets

register_presets(VAE_PRESETS, VAE)

__all__ = ["VAE"]
