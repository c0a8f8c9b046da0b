package ai.collectiveagency.policy.sampling;

/**
 * The decode steps after the prefill: one new token per active sequence, then a choice.
 * Implementations hold the KV cache of the active rows.
 */
interface DecodeSteps extends AutoCloseable {

    /** Feeds each active row's last token (B) and chooses the next, with one uniform per row. */
    TokenChoice next(int[] lastTokens, float[] uniforms);

    /** Keeps only the rows at these indices of the current batch (ascending). */
    void keepRows(int[] rows);

    @Override
    void close();
}
