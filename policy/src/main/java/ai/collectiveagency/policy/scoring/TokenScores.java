package ai.collectiveagency.policy.scoring;

import ai.djl.ndarray.NDArray;

/**
 * Teacher-forced scores of each next token.
 *
 * @param logprobs (B, T-1): log p(token[t+1] | tokens[..t]); differentiable when computed under a
 *     gradient collector
 * @param entropy (B, T-1): entropy of each predictive distribution, or null when not asked for
 */
public record TokenScores(NDArray logprobs, NDArray entropy) {}
