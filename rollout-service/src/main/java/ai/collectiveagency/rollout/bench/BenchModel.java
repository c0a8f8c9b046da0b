package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * The ~40M-parameter model of the rollout benchmark, written as a Hugging Face folder with
 * random weights and the tokenizer and chat template of a source folder (the tiny fixture), so
 * that {@code Policy.load} reads it like any model. The policy benchmark's ~40M config puts 16M
 * of its parameters in a 32000-token embedding; with the fixture's 379-token vocabulary the same
 * width (512, MLP 1376, 8 heads, 4 KV heads) takes 14 layers to reach ~40M.
 */
final class BenchModel {

    static final int DIM = 512;
    static final int HIDDEN = 1376;
    static final int LAYERS = 14;
    static final int HEADS = 8;
    static final int KV_HEADS = 4;
    static final int MAX_POSITIONS = 2048;

    private BenchModel() {
    }

    /** Writes the model into the new or empty {@code folder}; returns its config. */
    static LlamaConfig write(Path folder, Path tokenizerSource, int vocab) {
        LlamaConfig config = new LlamaConfig("qwen2", DIM, HIDDEN, LAYERS, HEADS, KV_HEADS,
                DIM / HEADS, vocab, MAX_POSITIONS, 1e-6, 1_000_000, true, true, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelParameters parameters = RandomWeights.parameters(config, 40, manager);
            ModelCheckpoint.save(folder, config, parameters, tokenizerSource);
        }
        return config;
    }
}
