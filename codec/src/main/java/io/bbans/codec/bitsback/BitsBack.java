package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.Message;
import java.util.Objects;
import java.util.function.Function;

/**
 * Bits-back coding with a latent variable model (Townsend, Bird and Barber, ICLR 2019): codes x
 * at the rate {@code -log p(x|z) - log p(z) + log q(z|x)}, the negative ELBO.
 *
 * <p>Push takes z off the message under the posterior q(z|x) (getting back the bits that choose
 * it), then pushes x under the likelihood p(x|z) and z under the prior p(z). Pop mirrors it:
 * pop z under the prior, pop x under the likelihood, and push z back under the posterior, which
 * returns the bits that were borrowed.
 */
public final class BitsBack<X, Z> implements Codec<X> {
  private final Codec<Z> prior;
  private final Function<? super Z, ? extends Codec<X>> likelihood;
  private final Function<? super X, ? extends Codec<Z>> posterior;

  public BitsBack(Codec<Z> prior, Function<? super Z, ? extends Codec<X>> likelihood,
      Function<? super X, ? extends Codec<Z>> posterior) {
    this.prior = Objects.requireNonNull(prior);
    this.likelihood = Objects.requireNonNull(likelihood);
    this.posterior = Objects.requireNonNull(posterior);
  }

  @Override
  public void push(Message m, X x) {
    Z z = posterior.apply(x).pop(m);
    likelihood.apply(z).push(m, x);
    prior.push(m, z);
  }

  @Override
  public X pop(Message m) {
    Z z = prior.pop(m);
    X x = likelihood.apply(z).pop(m);
    posterior.apply(x).push(m, z);
    return x;
  }
}
