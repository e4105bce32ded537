"""Networks: plain functional Keras models that the models compose.

One principle places each builder: the model family that uses it, as the
folders of `keras_aegan.models` name them.

- `gan.py`: the generators and discriminators of the GAN family (MLP and
  maxout nets, DCGAN, SN-GAN, BEGAN, the conditional ones).
- `autoencoder.py`: the encoders and decoders of the autoencoder family
  (autoencoders, VAE, VQ-VAE and the adversarial autoencoder, with its
  code discriminator).
- `translation.py`: the image-to-image networks (CycleGAN's ResNet
  generator and PatchGAN, DiscoGAN's, the U-Net, Pix2Pix's random
  jitter).
- `layers.py`: the layers and blocks that several families share.

Every builder is exported here, `keras_aegan.networks.<name>`.
"""

from keras_aegan.networks.autoencoder import code_discriminator
from keras_aegan.networks.autoencoder import conv_code_encoder
from keras_aegan.networks.autoencoder import conv_decoder
from keras_aegan.networks.autoencoder import conv_encoder
from keras_aegan.networks.autoencoder import conv_feature_decoder
from keras_aegan.networks.autoencoder import conv_feature_encoder
from keras_aegan.networks.autoencoder import dense_decoder
from keras_aegan.networks.autoencoder import dense_encoder
from keras_aegan.networks.gan import acgan_discriminator
from keras_aegan.networks.gan import began_decoder
from keras_aegan.networks.gan import began_discriminator
from keras_aegan.networks.gan import conditional_discriminator
from keras_aegan.networks.gan import conditional_generator
from keras_aegan.networks.gan import conditional_maxout_discriminator
from keras_aegan.networks.gan import conditional_mlp_generator
from keras_aegan.networks.gan import dcgan_discriminator
from keras_aegan.networks.gan import dcgan_generator
from keras_aegan.networks.gan import maxout_discriminator
from keras_aegan.networks.gan import mlp_generator
from keras_aegan.networks.gan import sngan_discriminator
from keras_aegan.networks.layers import InputResidual
from keras_aegan.networks.layers import InstanceNormalization
from keras_aegan.networks.layers import Maxout
from keras_aegan.networks.layers import ReflectionPadding2D
from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.networks.layers import SyncBatchNormalization
from keras_aegan.networks.layers import instance_normalization
from keras_aegan.networks.layers import num_resolution_stages
from keras_aegan.networks.layers import plain_conv_transpose
from keras_aegan.networks.translation import discogan_discriminator
from keras_aegan.networks.translation import discogan_generator
from keras_aegan.networks.translation import patchgan_discriminator
from keras_aegan.networks.translation import random_jitter
from keras_aegan.networks.translation import resnet_generator
from keras_aegan.networks.translation import unet

__all__ = [
    "InputResidual",
    "Maxout",
    "acgan_discriminator",
    "began_decoder",
    "began_discriminator",
    "code_discriminator",
    "conditional_discriminator",
    "conditional_generator",
    "conditional_maxout_discriminator",
    "conditional_mlp_generator",
    "maxout_discriminator",
    "mlp_generator",
    "sngan_discriminator",
    "conv_decoder",
    "conv_encoder",
    "dcgan_discriminator",
    "dcgan_generator",
    "num_resolution_stages",
    "conv_code_encoder",
    "conv_feature_decoder",
    "conv_feature_encoder",
    "dense_decoder",
    "dense_encoder",
    "unet",
    "ReflectionPadding2D",
    "SubpixelConv2DTranspose",
    "SyncBatchNormalization",
    "instance_normalization",
    "InstanceNormalization",
    "plain_conv_transpose",
    "discogan_discriminator",
    "discogan_generator",
    "patchgan_discriminator",
    "random_jitter",
    "resnet_generator",
]
