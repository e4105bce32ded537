"""Models: `keras.Model` subclasses that own their training step.

One folder per family (`autoencoder/`, `vae/`, `vqvae/`, `aae/`, `gan/`,
`cyclegan/`, `pix2pix/`), one public class per file, with the family's own
layers beside its models (`vqvae/vector_quantizer.py`, `cyclegan/image_pool.py`,
`gan/diff_augment.py`).
`generative_model.py` holds the base class that every model extends.
"""

from keras_aegan.models.aae.adversarial_autoencoder import (
    AdversarialAutoencoder,
)
from keras_aegan.models.autoencoder.autoencoder import Autoencoder
from keras_aegan.models.autoencoder.contractive_autoencoder import (
    ContractiveAutoencoder,
)
from keras_aegan.models.autoencoder.denoising_autoencoder import (
    DenoisingAutoencoder,
)
from keras_aegan.models.autoencoder.linear_autoencoder import LinearAutoencoder
from keras_aegan.models.autoencoder.sparse_autoencoder import SparseAutoencoder
from keras_aegan.models.autoencoder.supervised_autoencoder import (
    SupervisedAutoencoder,
)
from keras_aegan.models.cyclegan.cyclegan import CycleGAN
from keras_aegan.models.cyclegan.discogan import DiscoGAN
from keras_aegan.models.cyclegan.image_pool import ImagePool
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    UnpairedTranslationModel,
)
from keras_aegan.models.gan.acgan import ACGAN
from keras_aegan.models.gan.adversarial_model import AdversarialModel
from keras_aegan.models.gan.began import BEGAN
from keras_aegan.models.gan.conditional_gan import ConditionalGAN
from keras_aegan.models.gan.dcgan import DCGAN
from keras_aegan.models.gan.diff_augment import DiffAugment
from keras_aegan.models.gan.gan import GAN
from keras_aegan.models.gan.lsgan import LSGAN
from keras_aegan.models.gan.sngan import SNGAN
from keras_aegan.models.gan.wgan import WGAN
from keras_aegan.models.gan.wgan_gp import WGANGP
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.pix2pix import Pix2Pix
from keras_aegan.models.vae.vae import VAE
from keras_aegan.models.vqvae.vector_quantizer import VectorQuantizer
from keras_aegan.models.vqvae.vqvae import VQVAE

__all__ = [
    "ACGAN",
    "AdversarialAutoencoder",
    "AdversarialModel",
    "Autoencoder",
    "BEGAN",
    "ConditionalGAN",
    "ContractiveAutoencoder",
    "CycleGAN",
    "DCGAN",
    "DenoisingAutoencoder",
    "DiffAugment",
    "DiscoGAN",
    "GAN",
    "GenerativeModel",
    "ImagePool",
    "LSGAN",
    "LinearAutoencoder",
    "Pix2Pix",
    "SNGAN",
    "SparseAutoencoder",
    "SupervisedAutoencoder",
    "UnpairedTranslationModel",
    "VAE",
    "VQVAE",
    "VectorQuantizer",
    "WGAN",
    "WGANGP",
]
