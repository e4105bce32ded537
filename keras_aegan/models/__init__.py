"""Models: `keras.Model` subclasses that own their training step."""

from keras_aegan.models.dcgan import DCGAN
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.vae import VAE

__all__ = ["DCGAN", "GenerativeModel", "VAE"]
