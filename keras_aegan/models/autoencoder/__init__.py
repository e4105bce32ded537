"""The deterministic autoencoders: the deep autoencoder, its regularized
variants (sparse, contractive, denoising, supervised) and the linear
autoencoder that learns the principal subspace."""

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

__all__ = [
    "Autoencoder",
    "ContractiveAutoencoder",
    "DenoisingAutoencoder",
    "LinearAutoencoder",
    "SparseAutoencoder",
    "SupervisedAutoencoder",
]
