"""`keras_aegan.augment`: the import path of `DiffAugment` before it moved
beside the GAN family (`keras_aegan.models.DiffAugment`); it keeps working."""

from keras_aegan.models.gan.diff_augment import POLICIES
from keras_aegan.models.gan.diff_augment import DiffAugment

__all__ = ["DiffAugment", "POLICIES"]
