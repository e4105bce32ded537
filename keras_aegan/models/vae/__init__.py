"""The variational autoencoder (Kingma & Welling 2014)."""

from keras_aegan.models.vae.vae import VAE

__all__ = ["VAE"]
