"""VQ-VAE (van den Oord et al. 2017) and its vector-quantization layer."""

from keras_aegan.models.vqvae.vector_quantizer import VectorQuantizer
from keras_aegan.models.vqvae.vqvae import VQVAE

__all__ = ["VQVAE", "VectorQuantizer"]
