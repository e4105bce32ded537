"""VQ-VAE (van den Oord et al. 2017) and its vector-quantization layer."""

from keras_aegan.models.vqvae.vector_quantizer import VectorQuantizer
from keras_aegan.models.vqvae.vqvae import VQVAE
from keras_aegan.models.vqvae.vqvae_presets import VQVAE_PRESETS
from keras_aegan.presets import register_presets

register_presets(VQVAE_PRESETS, VQVAE)

__all__ = ["VQVAE", "VectorQuantizer"]
