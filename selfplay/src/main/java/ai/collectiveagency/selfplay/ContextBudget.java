package ai.collectiveagency.selfplay;

/**
 * Whether a prompt and its completion fit the model's positions: generation refuses a batch in
 * which any prompt plus the token budget would not fit, so every prompt is checked before it
 * joins one.
 *
 * @param maxPositions the model's {@code max_position_embeddings}
 */
public record ContextBudget(int maxPositions) {

    public ContextBudget {
        if (maxPositions < 1) {
            throw new IllegalArgumentException("max positions must be positive, got "
                    + maxPositions);
        }
    }

    /** Whether {@code promptTokens} plus {@code maxNewTokens} fit. */
    public boolean fits(int promptTokens, int maxNewTokens) {
        return promptTokens + maxNewTokens <= maxPositions;
    }
}
