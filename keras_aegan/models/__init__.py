"""Models: `keras.Model` subclasses that own their training step."""

from keras_aegan.models.aae import AdversarialAutoencoder
from keras_aegan.models.autoencoder import Autoencoder
from keras_aegan.models.autoencoder import ContractiveAutoencoder
from keras_aegan.models.autoencoder import DenoisingAutoencoder
from keras_aegan.models.autoencoder import SparseAutoencoder
from keras_aegan.models.autoencoder import SupervisedAutoencoder
from keras_aegan.models.began import BEGAN
from keras_aegan.models.conditional_gan import ACGAN
from keras_aegan.models.conditional_gan import ConditionalGAN
from keras_aegan.models.cyclegan import CycleGAN
from keras_aegan.models.cyclegan import DiscoGAN
from keras_aegan.models.cyclegan import UnpairedTranslationModel
from keras_aegan.models.dcgan import DCGAN
from keras_aegan.models.gan import GAN
from keras_aegan.models.gan import AdversarialModel
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.image_pool import ImagePool
from keras_aegan.models.lsgan import LSGAN
from keras_aegan.models.pca import LinearAutoencoder
from keras_aegan.models.sngan import SNGAN
from keras_aegan.models.vae import VAE
from keras_aegan.models.vqvae import VQVAE
from keras_aegan.models.vqvae import VectorQuantizer
from keras_aegan.models.wgan import WGAN
from keras_aegan.models.wgan import WGANGP

__all__ = ["DCGAN", "GenerativeModel", "VAE"]
__all__ += ["ACGAN", "AdversarialModel", "BEGAN", "ConditionalGAN", "GAN"]
__all__ += ["LSGAN", "SNGAN", "WGAN", "WGANGP"]
__all__ += ["AdversarialAutoencoder", "Autoencoder", "ContractiveAutoencoder"]
__all__ += ["DenoisingAutoencoder", "LinearAutoencoder", "SparseAutoencoder"]
__all__ += ["SupervisedAutoencoder", "VQVAE", "VectorQuantizer"]
__all__ += ["CycleGAN", "DiscoGAN", "ImagePool", "UnpairedTranslationModel"]
