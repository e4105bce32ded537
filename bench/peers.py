"""Hand-written training loops: the peers `throughput.py` sets `fit()` against.

Each peer trains the same Keras networks, on the same batch, with the same
optimizers and the same losses as the keras_aegan model it stands beside,
the way a user writes the loop by hand from each framework's guide:

- `tf_gradient_tape`: a `tf.function` step with `tf.GradientTape` and
  Keras optimizers' `apply_gradients` (`tf_gradient_tape_xla`: the same
  with `jit_compile=True`);
- `torch_loop`: `torch.optim.Adam` over the networks' `parameters()`,
  `loss.backward()` and `torch.autograd.grad(create_graph=True)` for the
  gradient penalty;
- `jax_loop`: `stateless_call`, `jax.value_and_grad` and the optimizers'
  `stateless_apply`, in one `jax.jit` step that threads every variable.

Losses (the same maths as the models):

- `dcgan`: the non-saturating GAN (Goodfellow et al. 2014, section 3):
  D minimizes `softplus(-D(x)) + softplus(D(G(z)))`, G minimizes
  `softplus(-D(G(z)))`; one D and one G update per batch of `n`.
- `wgan_gp`: Gulrajani et al. 2017, algorithm 1: `n_critic = 5` critic
  updates, each on its own `m = n / 5` real rows, minimizing
  `D(G(z)) - D(x) + 10 (||grad D(x_hat)|| - 1)^2`, then one generator
  update on `m` noise vectors.
- `vae`: the negative ELBO with a Bernoulli decoder (Kingma & Welling
  2014, eq. 10).

Every factory returns `step(batch)`, which trains on one NumPy batch and
returns something whose evaluation waits for the step to finish
(`finish(result)`).
"""

import numpy as np

N_CRITIC = 5
PENALTY_WEIGHT = 10.0


# TensorFlow: tf.GradientTape


def tf_step(model_name, nets, optimizers, latent_dim, jit_compile):
    import tensorflow as tf

    def adam_apply(optimizer, loss_tape, loss, variables):
        grads = loss_tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))

    if model_name == "vae":
        encoder, decoder = nets
        (optimizer,) = optimizers
        variables = encoder.trainable_variables + decoder.trainable_variables

        @tf.function(jit_compile=jit_compile)
        def step(x):
            with tf.GradientTape() as tape:
                mean, log_var = encoder(x, training=True)
                eps = tf.random.normal(tf.shape(mean))
                z = mean + tf.exp(0.5 * log_var) * eps
                logits = decoder(z, training=True)
                nll = tf.nn.sigmoid_cross_entropy_with_logits(x, logits)
                nll = tf.reduce_sum(nll, axis=[1, 2, 3])
                kl = -0.5 * tf.reduce_sum(
                    1 + log_var - mean**2 - tf.exp(log_var), axis=1
                )
                loss = tf.reduce_mean(nll + kl)
            adam_apply(optimizer, tape, loss, variables)
            return loss

        return step

    generator, discriminator = nets
    g_opt, d_opt = optimizers

    def noise(n):
        return tf.random.normal((n, latent_dim))

    if model_name == "dcgan":

        @tf.function(jit_compile=jit_compile)
        def step(real):
            n = tf.shape(real)[0]
            fake = generator(noise(n), training=True)
            with tf.GradientTape() as tape:
                real_logits = discriminator(real, training=True)
                fake_logits = discriminator(fake, training=True)
                d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits))
                d_loss += tf.reduce_mean(tf.nn.softplus(fake_logits))
            adam_apply(d_opt, tape, d_loss, discriminator.trainable_variables)
            with tf.GradientTape() as tape:
                fake_logits = discriminator(
                    generator(noise(n), training=True), training=True
                )
                g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logits))
            adam_apply(g_opt, tape, g_loss, generator.trainable_variables)
            return g_loss

        return step

    @tf.function(jit_compile=jit_compile)
    def step(batch):
        m = batch.shape[0] // N_CRITIC
        for i in range(N_CRITIC):
            real = batch[i * m : (i + 1) * m]
            fake = generator(noise(m), training=True)
            eps = tf.random.uniform((m, 1, 1, 1))
            mixed = eps * real + (1 - eps) * fake
            with tf.GradientTape() as tape:
                with tf.GradientTape() as inner:
                    inner.watch(mixed)
                    mixed_scores = discriminator(mixed, training=True)
                grads = inner.gradient(mixed_scores, mixed)
                norms = tf.sqrt(tf.reduce_sum(grads**2, axis=[1, 2, 3]) + 1e-12)
                penalty = tf.reduce_mean((norms - 1.0) ** 2)
                d_loss = tf.reduce_mean(discriminator(fake, training=True))
                d_loss -= tf.reduce_mean(discriminator(real, training=True))
                d_loss += PENALTY_WEIGHT * penalty
            adam_apply(d_opt, tape, d_loss, discriminator.trainable_variables)
        with tf.GradientTape() as tape:
            scores = discriminator(generator(noise(m), training=True))
            g_loss = -tf.reduce_mean(scores)
        adam_apply(g_opt, tape, g_loss, generator.trainable_variables)
        return g_loss

    return step


# PyTorch: a plain loop


def torch_step(model_name, nets, optimizer_settings, latent_dim):
    import torch
    import torch.nn.functional as F

    def adam(net, settings):
        learning_rate, beta_1, beta_2 = settings
        return torch.optim.Adam(
            net.parameters(), lr=learning_rate, betas=(beta_1, beta_2)
        )

    def as_tensor(batch):
        return torch.from_numpy(batch)

    if model_name == "vae":
        encoder, decoder = nets
        params = list(encoder.parameters()) + list(decoder.parameters())
        learning_rate, beta_1, beta_2 = optimizer_settings[0]
        optimizer = torch.optim.Adam(
            params, lr=learning_rate, betas=(beta_1, beta_2)
        )

        def step(batch):
            x = as_tensor(batch)
            optimizer.zero_grad(set_to_none=True)
            mean, log_var = encoder(x, training=True)
            z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
            logits = decoder(z, training=True)
            nll = F.binary_cross_entropy_with_logits(
                logits, x, reduction="none"
            )
            nll = nll.sum(dim=(1, 2, 3))
            kl = -0.5 * (1 + log_var - mean**2 - log_var.exp()).sum(dim=1)
            loss = (nll + kl).mean()
            loss.backward()
            optimizer.step()
            return loss

        return step

    generator, discriminator = nets
    g_opt = adam(generator, optimizer_settings[0])
    d_opt = adam(discriminator, optimizer_settings[1])

    def noise(n):
        return torch.randn(n, latent_dim)

    if model_name == "dcgan":

        def step(batch):
            real = as_tensor(batch)
            n = real.shape[0]
            with torch.no_grad():
                fake = generator(noise(n), training=True)
            d_opt.zero_grad(set_to_none=True)
            d_loss = F.softplus(-discriminator(real, training=True)).mean()
            d_loss = (
                d_loss + F.softplus(discriminator(fake, training=True)).mean()
            )
            d_loss.backward()
            d_opt.step()
            g_opt.zero_grad(set_to_none=True)
            fake_logits = discriminator(
                generator(noise(n), training=True), training=True
            )
            g_loss = F.softplus(-fake_logits).mean()
            g_loss.backward()
            g_opt.step()
            return g_loss

        return step

    def step(batch):
        batch = as_tensor(batch)
        m = batch.shape[0] // N_CRITIC
        for i in range(N_CRITIC):
            real = batch[i * m : (i + 1) * m]
            with torch.no_grad():
                fake = generator(noise(m), training=True)
            eps = torch.rand(m, 1, 1, 1)
            mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
            d_opt.zero_grad(set_to_none=True)
            (grads,) = torch.autograd.grad(
                discriminator(mixed, training=True).sum(),
                mixed,
                create_graph=True,
            )
            norms = torch.sqrt((grads**2).sum(dim=(1, 2, 3)) + 1e-12)
            penalty = ((norms - 1.0) ** 2).mean()
            d_loss = discriminator(fake, training=True).mean()
            d_loss = d_loss - discriminator(real, training=True).mean()
            d_loss = d_loss + PENALTY_WEIGHT * penalty
            d_loss.backward()
            d_opt.step()
        g_opt.zero_grad(set_to_none=True)
        g_loss = -discriminator(generator(noise(m), training=True)).mean()
        g_loss.backward()
        g_opt.step()
        return g_loss

    return step


# JAX: stateless_call, value_and_grad, one jitted step


def jax_step(model_name, nets, optimizers, latent_dim):
    import jax
    import jax.numpy as jnp

    def values(variables):
        return [v.value for v in variables]

    def threaded(jitted, state):
        # The step takes and returns every variable and the random key.
        held = [state, jax.random.PRNGKey(0)]

        def step(batch):
            loss, held[0], held[1] = jitted(
                held[0], jnp.asarray(batch), held[1]
            )
            return loss

        return step

    def call(net, state, x, training=True):
        trainable, non_trainable = state
        return net.stateless_call(
            trainable, non_trainable, x, training=training
        )

    if model_name == "vae":
        encoder, decoder = nets
        (optimizer,) = optimizers
        variables = encoder.trainable_variables + decoder.trainable_variables
        optimizer.build(variables)
        split = len(encoder.trainable_variables)

        def loss_fn(trainable, non_trainable, x, key):
            enc_state = (trainable[:split], non_trainable[0])
            dec_state = (trainable[split:], non_trainable[1])
            (mean, log_var), enc_nt = call(encoder, enc_state, x)
            z = mean + jnp.exp(0.5 * log_var) * jax.random.normal(
                key, mean.shape
            )
            logits, dec_nt = call(decoder, dec_state, z)
            nll = jnp.maximum(logits, 0) - logits * x
            nll = nll + jnp.log1p(jnp.exp(-jnp.abs(logits)))
            nll = nll.sum(axis=(1, 2, 3))
            kl = -0.5 * (1 + log_var - mean**2 - jnp.exp(log_var)).sum(axis=1)
            return (nll + kl).mean(), (enc_nt, dec_nt)

        grad_fn = jax.value_and_grad(loss_fn, has_aux=True)

        @jax.jit
        def jitted(state, x, key):
            trainable, non_trainable, opt_vars = state
            key, sub = jax.random.split(key)
            (loss, non_trainable), grads = grad_fn(
                trainable, non_trainable, x, sub
            )
            trainable, opt_vars = optimizer.stateless_apply(
                opt_vars, grads, trainable
            )
            return loss, (trainable, non_trainable, opt_vars), key

        return threaded(
            jitted,
            (
                values(variables),
                (
                    values(encoder.non_trainable_variables),
                    values(decoder.non_trainable_variables),
                ),
                values(optimizer.variables),
            ),
        )

    generator, discriminator = nets
    g_opt, d_opt = optimizers
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)

    def d_terms(d_tv, d_nt, real, fake, key):
        if model_name == "dcgan":
            real_logits, d_nt = call(discriminator, (d_tv, d_nt), real)
            fake_logits, d_nt = call(discriminator, (d_tv, d_nt), fake)
            loss = jax.nn.softplus(-real_logits).mean()
            return loss + jax.nn.softplus(fake_logits).mean(), d_nt
        eps = jax.random.uniform(key, (real.shape[0], 1, 1, 1))
        mixed = eps * real + (1 - eps) * fake

        def critic_sum(images):
            return call(discriminator, (d_tv, d_nt), images)[0].sum()

        grads = jax.grad(critic_sum)(mixed)
        norms = jnp.sqrt((grads**2).sum(axis=(1, 2, 3)) + 1e-12)
        penalty = ((norms - 1.0) ** 2).mean()
        loss = call(discriminator, (d_tv, d_nt), fake)[0].mean()
        loss = loss - call(discriminator, (d_tv, d_nt), real)[0].mean()
        return loss + PENALTY_WEIGHT * penalty, d_nt

    def g_terms(g_tv, g_nt, d_tv, d_nt, n, key):
        z = jax.random.normal(key, (n, latent_dim))
        fake, g_nt = call(generator, (g_tv, g_nt), z)
        scores, d_nt = call(discriminator, (d_tv, d_nt), fake)
        if model_name == "dcgan":
            return jax.nn.softplus(-scores).mean(), (g_nt, d_nt)
        return -scores.mean(), (g_nt, d_nt)

    d_grad = jax.value_and_grad(d_terms, has_aux=True)
    g_grad = jax.value_and_grad(g_terms, has_aux=True)
    updates = 1 if model_name == "dcgan" else N_CRITIC

    @jax.jit
    def jitted(state, batch, key):
        g_tv, g_nt, d_tv, d_nt, g_vars, d_vars = state
        m = batch.shape[0] // updates
        for i in range(updates):
            key, z_key, eps_key = jax.random.split(key, 3)
            z = jax.random.normal(z_key, (m, latent_dim))
            fake, g_nt = call(generator, (g_tv, g_nt), z)
            real = batch[i * m : (i + 1) * m]
            (_, d_nt), grads = d_grad(d_tv, d_nt, real, fake, eps_key)
            d_tv, d_vars = d_opt.stateless_apply(d_vars, grads, d_tv)
        key, z_key = jax.random.split(key)
        (g_loss, (g_nt, d_nt)), grads = g_grad(g_tv, g_nt, d_tv, d_nt, m, z_key)
        g_tv, g_vars = g_opt.stateless_apply(g_vars, grads, g_tv)
        return g_loss, (g_tv, g_nt, d_tv, d_nt, g_vars, d_vars), key

    return threaded(
        jitted,
        (
            values(generator.trainable_variables),
            values(generator.non_trainable_variables),
            values(discriminator.trainable_variables),
            values(discriminator.non_trainable_variables),
            values(g_opt.variables),
            values(d_opt.variables),
        ),
    )


def finish(result):
    """Waits for the step that returned `result`: its value as a float."""
    if hasattr(result, "detach"):
        return float(result.detach())
    return float(np.asarray(result))


# CycleGAN (Zhu et al. 2017, eq. 3 with the least-squares terms), as the
# keras.io example writes it: one forward pass of the four networks per
# step, the generators' update from it and the discriminators' update on
# the same translations (held fixed). No image pool: the keras.io example
# has none, and the pool's gathers cost nothing beside the networks.
CYCLE_WEIGHT = 10.0
IDENTITY_WEIGHT = 5.0


def cyclegan_generator_loss(ops, nets, a, b):
    """The generators' loss, and the two translations, written with the
    array functions `ops` (mean, abs, square) of the framework."""
    g_ab, g_ba, d_a, d_b = nets
    mean, absolute, square = ops
    fake_b, fake_a = g_ab(a, training=True), g_ba(b, training=True)
    cycled_a, cycled_b = (
        g_ba(fake_b, training=True),
        g_ab(fake_a, training=True),
    )
    same_a, same_b = g_ba(a, training=True), g_ab(b, training=True)
    g_loss = mean(square(d_b(fake_b, training=True) - 1))
    g_loss = g_loss + mean(square(d_a(fake_a, training=True) - 1))
    g_loss = g_loss + CYCLE_WEIGHT * (
        mean(absolute(cycled_a - a)) + mean(absolute(cycled_b - b))
    )
    g_loss = g_loss + IDENTITY_WEIGHT * (
        mean(absolute(same_a - a)) + mean(absolute(same_b - b))
    )
    return g_loss, (fake_a, fake_b)


def cyclegan_discriminator_loss(ops, d_a, d_b, a, b, fake_a, fake_b):
    """Both discriminators' loss on real images and held translations."""
    mean, _, square = ops
    d_loss = 0.0
    for critic, real, fake in ((d_a, a, fake_a), (d_b, b, fake_b)):
        d_loss = d_loss + 0.5 * (
            mean(square(critic(real, training=True) - 1))
            + mean(square(critic(fake, training=True)))
        )
    return d_loss


def tf_cyclegan_step(nets, optimizers, jit_compile):
    import tensorflow as tf

    ops = (tf.reduce_mean, tf.abs, tf.square)
    generators = nets[0].trainable_variables + nets[1].trainable_variables
    critics = nets[2].trainable_variables + nets[3].trainable_variables
    split_g = len(nets[0].trainable_variables)
    split_d = len(nets[2].trainable_variables)

    @tf.function(jit_compile=jit_compile)
    def step(a, b):
        with tf.GradientTape(persistent=True) as tape:
            g_loss, fakes = cyclegan_generator_loss(ops, nets, a, b)
            fakes = [tf.stop_gradient(f) for f in fakes]
            d_loss = cyclegan_discriminator_loss(ops, *nets[2:], a, b, *fakes)
        g_grads = tape.gradient(g_loss, generators)
        d_grads = tape.gradient(d_loss, critics)
        for optimizer, grads, variables in (
            (optimizers[0], g_grads[:split_g], generators[:split_g]),
            (optimizers[1], g_grads[split_g:], generators[split_g:]),
            (optimizers[2], d_grads[:split_d], critics[:split_d]),
            (optimizers[3], d_grads[split_d:], critics[split_d:]),
        ):
            optimizer.apply_gradients(zip(grads, variables, strict=True))
        return g_loss

    return lambda batch: step(*batch)


def torch_cyclegan_step(nets, settings):
    import torch

    ops = (torch.mean, torch.abs, torch.square)
    learning_rate, beta_1, beta_2 = settings[0]

    def adam(*modules):
        params = [p for m in modules for p in m.parameters() if p.requires_grad]
        return torch.optim.Adam(
            params, lr=learning_rate, betas=(beta_1, beta_2)
        )

    # Adam is per parameter: one optimizer over both generators is the
    # same as one each.
    g_opt, d_opt = adam(nets[0], nets[1]), adam(nets[2], nets[3])

    def step(batch):
        a, b = (torch.from_numpy(x) for x in batch)
        g_opt.zero_grad(set_to_none=True)
        d_opt.zero_grad(set_to_none=True)
        g_loss, fakes = cyclegan_generator_loss(ops, nets, a, b)
        fakes = [f.detach() for f in fakes]
        d_loss = cyclegan_discriminator_loss(ops, *nets[2:], a, b, *fakes)
        # The generators' gradient must not reach the discriminators'
        # weights: take it with respect to the generators only.
        g_params = [
            p for g in nets[:2] for p in g.parameters() if p.requires_grad
        ]
        g_grads = torch.autograd.grad(g_loss, g_params)
        for param, grad in zip(g_params, g_grads, strict=True):
            param.grad = grad
        d_loss.backward()
        g_opt.step()
        d_opt.step()
        return g_loss

    return step


def jax_cyclegan_step(nets, optimizers):
    import jax
    import jax.numpy as jnp

    ops = (jnp.mean, jnp.abs, jnp.square)
    for net, optimizer in zip(nets, optimizers, strict=True):
        optimizer.build(net.trainable_variables)

    def bound(k, trainable, non_trainable):
        # Network k as a function of the given variables (instance
        # normalization keeps no batch statistics to thread).
        def call(x, training=True):
            y, _ = nets[k].stateless_call(
                trainable, non_trainable, x, training=training
            )
            return y

        return call

    def g_loss_fn(g_tv, d_tv, nt, a, b):
        calls = [bound(k, tv, nt[k]) for k, tv in enumerate([*g_tv, *d_tv])]
        return cyclegan_generator_loss(ops, calls, a, b)

    def d_loss_fn(d_tv, nt, a, b, fake_a, fake_b):
        d_a, d_b = (bound(2 + k, tv, nt[2 + k]) for k, tv in enumerate(d_tv))
        return cyclegan_discriminator_loss(ops, d_a, d_b, a, b, fake_a, fake_b)

    @jax.jit
    def jitted(state, a, b):
        trainables, non_trainables, opt_vars = state
        g_tv, d_tv = trainables[:2], trainables[2:]
        (g_loss, fakes), g_grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
            g_tv, d_tv, non_trainables, a, b
        )
        fakes = [jax.lax.stop_gradient(f) for f in fakes]
        d_grads = jax.grad(d_loss_fn)(d_tv, non_trainables, a, b, *fakes)
        new_tv, new_opt = [], []
        for k, grads in enumerate([*g_grads, *d_grads]):
            tv, ov = optimizers[k].stateless_apply(
                opt_vars[k], grads, trainables[k]
            )
            new_tv.append(tv)
            new_opt.append(ov)
        return g_loss, (new_tv, non_trainables, new_opt)

    state = [
        (
            [[v.value for v in n.trainable_variables] for n in nets],
            [[v.value for v in n.non_trainable_variables] for n in nets],
            [[v.value for v in o.variables] for o in optimizers],
        )
    ]

    def step(batch):
        a, b = (jnp.asarray(x) for x in batch)
        loss, state[0] = jitted(state[0], a, b)
        return loss

    return step
