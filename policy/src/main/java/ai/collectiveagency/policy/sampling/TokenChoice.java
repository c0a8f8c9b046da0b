package ai.collectiveagency.policy.sampling;

/**
 * The tokens chosen for a batch of rows and their log-probs under log_softmax(logits / T).
 *
 * @param ids one chosen id per row
 * @param logprobs the chosen id's log-prob, per row
 */
public record TokenChoice(long[] ids, float[] logprobs) {}
