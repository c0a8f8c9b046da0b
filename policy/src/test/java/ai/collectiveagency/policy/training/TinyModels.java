package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.model.LlamaConfig;

/** Small model shapes for tests that train. */
final class TinyModels {

    private TinyModels() {}

    /** A Llama with GQA and all the blocks, small enough to train in a test. */
    static LlamaConfig llama(int vocab) {
        return new LlamaConfig("llama", 32, 48, 2, 4, 2, 8, vocab, 128, 1e-5, 10000, false, false,
                null);
    }

    /**
     * Qwen3-style: per-head q/k RMSNorms, head_dim 16 unlike 32 / 4 heads, no biases, tied head.
     */
    static LlamaConfig qwen3(int vocab) {
        return new LlamaConfig("qwen3", 32, 48, 2, 4, 2, 16, vocab, 128, 1e-6, 1e6, true, false,
                null);
    }

    /** Qwen2-style (q/k/v biases) for the gradient check. */
    static LlamaConfig qwen2(int vocab) {
        return new LlamaConfig("qwen2", 16, 24, 2, 4, 2, 4, vocab, 64, 1e-6, 1e6, false, true,
                null);
    }
}
