package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.node.MissingNode;

import java.nio.file.Path;

/**
 * What a model folder says about generating text: its special token ids (where a sequence ends,
 * starts, and what pads it) and its recommended sampling settings.
 *
 * <p>Read from {@code generation_config.json} and {@code config.json} (both optional) and
 * {@code tokenizer_config.json} through the tokenizer. End-of-sequence ids are the union of all
 * three files (Qwen2 lists two in its generation config but one in its model config); BOS and
 * pad ids come from the first file that sets them, pad falling back to the first EOS id.
 *
 * <pre>{@code
 * GenerationDefaults defaults = GenerationDefaults.load(modelFolder, tokenizer);
 * if (defaults.tokenIds().isEos(nextId)) { ... }
 * }</pre>
 *
 * @param tokenIds EOS (never empty), BOS and pad ids
 * @param sampling temperature, top-p, top-k and do-sample, each optional
 */
public record GenerationDefaults(SpecialTokenIds tokenIds, SamplingDefaults sampling) {

    /** File name of the generation config inside a model folder. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    /** File name of the model config inside a model folder. */
    public static final String MODEL_CONFIG = "config.json";

    /**
     * Reads the defaults of a model folder.
     *
     * @param tokenizer the folder's tokenizer, which maps token texts such as
     *     {@code eos_token} to ids
     * @throws IllegalArgumentException naming the file when one is malformed or states an
     *     unknown token, or naming the folder when no end-of-sequence token is found
     */
    public static GenerationDefaults load(Path modelFolder, TextTokenizer tokenizer) {
        return read(modelFolder, tokenizer);
    }

    /**
     * Reads the defaults of a folder that has no tokenizer (a model used on token ids only):
     * the ids then come from {@code generation_config.json} and {@code config.json} alone.
     */
    public static GenerationDefaults loadWithoutTokenizer(Path modelFolder) {
        return read(modelFolder, null);
    }

    private static GenerationDefaults read(Path modelFolder, TextTokenizer tokenizer) {
        Path generationFile = modelFolder.resolve(GENERATION_CONFIG);
        var generationConfig = JsonFiles.readIfPresent(generationFile);
        var modelConfig = JsonFiles.readIfPresent(modelFolder.resolve(MODEL_CONFIG));
        SpecialTokenIds ids = new SpecialTokenIdsReader(modelFolder,
                generationConfig.orElse(MissingNode.getInstance()),
                modelConfig.orElse(MissingNode.getInstance()),
                tokenizer).read();
        SamplingDefaults sampling = generationConfig
                .map(json -> SamplingDefaults.of(json, generationFile))
                .orElse(SamplingDefaults.NONE);
        return new GenerationDefaults(ids, sampling);
    }
}
