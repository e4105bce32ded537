"""keras_aegan: autoencoders and generative models for Keras 3.

Models train with `compile()` and `fit()` on TensorFlow, JAX and PyTorch,
whichever `KERAS_BACKEND` selects.
"""

from keras_aegan import applications
from keras_aegan import datasets
from keras_aegan import losses
from keras_aegan import metrics
from keras_aegan import models
from keras_aegan import networks
from keras_aegan import presets
from keras_aegan import schedules
from keras_aegan import training
from keras_aegan.version import __version__

__all__ = [
    "__version__",
    "applications",
    "datasets",
    "losses",
    "metrics",
    "models",
    "networks",
    "presets",
    "schedules",
    "training",
]
