"""The critic training shared by the Wasserstein GANs (Arjovsky et al. 2017)."""

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.models.gan.adversarial_model import AdversarialModel


class WassersteinModel(AdversarialModel):
    # The loss pair shared by WGAN and WGAN-GP: the critic minimizes
    # E[D(G(z))] - E[D(x)], the generator -E[D(G(z))].

    log_names = ("d_loss", "g_loss", "wasserstein_estimate")

    def __init__(self, fresh_real_batches=True, **kwargs):
        # Algorithm 1 of both papers samples a real minibatch for every
        # critic iteration: each of the n_critic updates of a step sees
        # its own rows of the batch, so a batch of n_critic * m rows gives
        # each the paper's m. False gives every update the whole batch.
        self.fresh_real_batches = bool(fresh_real_batches)
        super().__init__(**kwargs)

    def build_generator(self):
        return networks.dcgan_generator(self.latent_dim, self.image_shape)

    def discriminator_objective(self, real, fake):
        critic_loss = losses.wasserstein_critic_loss(real.outputs, fake.outputs)
        return critic_loss, {
            "d_loss": critic_loss,
            "wasserstein_estimate": -critic_loss,
        }

    def generator_objective(self, fake):
        g_loss = losses.wasserstein_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        config["fresh_real_batches"] = self.fresh_real_batches
        return config
