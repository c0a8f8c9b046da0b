package ai.collectiveagency.policy.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * What a GRPO step did, for logging. Every fraction and mean is taken over the masked (completion)
 * tokens of the micro-batch, as TRL logs them; with no tokens they are NaN.
 *
 * @param meanKl mean k3 estimate of KL(policy || reference); NaN when no reference log-probs were
 *     given (it is measured whenever they are, even with {@code beta == 0})
 * @param clipFraction share of tokens whose gradient the clip removed: {@code low + high}
 * @param lowClipFraction share with {@code ratio < 1 - epsilonLow} and a negative advantage
 * @param highClipFraction share with {@code ratio > 1 + epsilonHigh} and a positive advantage
 * @param meanRatio mean importance ratio {@code exp(logp - oldLogp)}
 * @param tokenCount number of masked tokens
 */
public record GrpoStatistics(
        double meanKl,
        double clipFraction,
        double lowClipFraction,
        double highClipFraction,
        double meanRatio,
        long tokenCount) {

    /**
     * Measures detached per-token quantities; call inside an {@code NDScope}.
     *
     * @param ratio {@code [B, T]} importance ratios, without gradient
     * @param kl {@code [B, T]} k3 terms, or null
     * @param advantages {@code [B, 1]}
     * @param mask {@code [B, T]} in the ratio's dtype
     */
    static GrpoStatistics measure(
            NDArray ratio, NDArray kl, NDArray advantages, NDArray mask, GrpoConfig config) {
        NDArray low = ratio.lt(1 - config.epsilonLow()).logicalAnd(advantages.lt(0));
        NDArray high = ratio.gt(1 + config.epsilonHigh()).logicalAnd(advantages.gt(0));
        double tokens = sum(mask);
        double lowFraction = sum(low.toType(mask.getDataType(), false).mul(mask)) / tokens;
        double highFraction = sum(high.toType(mask.getDataType(), false).mul(mask)) / tokens;
        double meanKl = kl == null ? Double.NaN : sum(kl.stopGradient().mul(mask)) / tokens;
        return new GrpoStatistics(meanKl, lowFraction + highFraction, lowFraction, highFraction,
                sum(ratio.mul(mask)) / tokens, Math.round(tokens));
    }

    private static double sum(NDArray values) {
        return values.sum().toType(DataType.FLOAT64, false).getDouble();
    }
}
