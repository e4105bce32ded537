"""Paired image-to-image translation: Pix2Pix (Isola et al. 2017)."""

from keras_aegan.models.pix2pix.pix2pix import Pix2Pix
from keras_aegan.models.pix2pix.pix2pix_presets import PIX2PIX_PRESETS
from keras_aegan.presets import register_presets

register_presets(PIX2PIX_PRESETS, Pix2Pix)

__all__ = ["Pix2Pix"]
