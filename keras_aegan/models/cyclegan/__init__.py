"""Unpaired image-to-image translation: the shared two-domain step,
CycleGAN (Zhu et al. 2017), DiscoGAN (Kim et al. 2017) and CycleGAN's
history of generated images."""

from keras_aegan.models.cyclegan.cyclegan import CycleGAN
from keras_aegan.models.cyclegan.cyclegan_presets import CYCLEGAN_PRESETS
from keras_aegan.models.cyclegan.discogan import DiscoGAN
from keras_aegan.models.cyclegan.image_pool import ImagePool
from keras_aegan.models.cyclegan.unpaired_translation_model import NETWORKS
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    OPTIMIZER_NAMES,
)
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    UnpairedTranslationModel,
)
from keras_aegan.presets import register_presets

register_presets(CYCLEGAN_PRESETS, CycleGAN)

__all__ = [
    "NETWORKS",
    "OPTIMIZER_NAMES",
    "CycleGAN",
    "DiscoGAN",
    "ImagePool",
    "UnpairedTranslationModel",
]
