"""Networks: plain functional Keras models that the models compose."""

from keras_aegan.networks.convolutional import conv_decoder
from keras_aegan.networks.convolutional import conv_encoder
from keras_aegan.networks.convolutional import dcgan_discriminator
from keras_aegan.networks.convolutional import dcgan_generator
from keras_aegan.networks.convolutional import num_resolution_stages

__all__ = [
    "conv_decoder",
    "conv_encoder",
    "dcgan_discriminator",
    "dcgan_generator",
    "num_resolution_stages",
]
