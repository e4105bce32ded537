"""The GAN family: the shared adversarial step and every model built on it.

`adversarial_model.py` holds the step of Goodfellow et al. 2014
(algorithm 1) that every GAN here runs; each other file holds one model
and its defaults; `diff_augment.py` holds the family's own layer,
`DiffAugment` (Zhao et al. 2020).
"""

from keras_aegan.models.gan.acgan import ACGAN
from keras_aegan.models.gan.acgan_presets import ACGAN_PRESETS
from keras_aegan.models.gan.adversarial_model import GENERATOR_LOSSES
from keras_aegan.models.gan.adversarial_model import AdversarialModel
from keras_aegan.models.gan.adversarial_model import AdversarialSide
from keras_aegan.models.gan.adversarial_model import MinimaxGame
from keras_aegan.models.gan.began import BEGAN
from keras_aegan.models.gan.conditional_gan import ConditionalGAN
from keras_aegan.models.gan.conditional_model import ConditionalModel
from keras_aegan.models.gan.dcgan import DCGAN
from keras_aegan.models.gan.dcgan_presets import DCGAN_PRESETS
from keras_aegan.models.gan.diff_augment import DiffAugment
from keras_aegan.models.gan.gan import GAN
from keras_aegan.models.gan.lsgan import LSGAN
from keras_aegan.models.gan.sngan import SNGAN
from keras_aegan.models.gan.wasserstein_model import WassersteinModel
from keras_aegan.models.gan.wgan import WGAN
from keras_aegan.models.gan.wgan_gp import WGANGP
from keras_aegan.models.gan.wgan_gp_presets import WGANGP_PRESETS
from keras_aegan.presets import register_presets

register_presets(ACGAN_PRESETS, ACGAN)
register_presets(DCGAN_PRESETS, DCGAN)
register_presets(WGANGP_PRESETS, WGANGP)

__all__ = [
    "ACGAN",
    "AdversarialModel",
    "AdversarialSide",
    "BEGAN",
    "ConditionalGAN",
    "ConditionalModel",
    "DCGAN",
    "DiffAugment",
    "GAN",
    "GENERATOR_LOSSES",
    "LSGAN",
    "MinimaxGame",
    "SNGAN",
    "WGAN",
    "WGANGP",
    "WassersteinModel",
]
