"""Paired image-to-image translation: Pix2Pix (Isola et al. 2017)."""

from keras_aegan.models.pix2pix.pix2pix import Pix2Pix

__all__ = ["Pix2Pix"]
