package ai.collectiveagency.policy.grpo;

import ai.djl.ndarray.NDArray;

import java.util.Objects;

/**
 * The output of {@link GrpoLoss#compute}.
 *
 * @param loss scalar (shape {@code []}) in the manager of the inputs' {@code logp}, differentiable
 *     with respect to {@code logp}; the caller closes it (or its scope does)
 * @param statistics what the step did, as plain doubles
 */
public record GrpoLossResult(NDArray loss, GrpoStatistics statistics) {

    public GrpoLossResult {
        Objects.requireNonNull(loss, "loss must not be null");
        Objects.requireNonNull(statistics, "statistics must not be null");
    }
}
