package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;
import java.nio.file.Path;

/**
 * Loads a {@link VerifiedCheckpoint} from the very bytes whose digests its manifest lists: each
 * file is read once, hashed as it is parsed, and a file that differs (swapped since it was
 * verified) is a {@link RefusalReason#CORRUPT} refusal, never a loaded model.
 *
 * <ul>
 *   <li>LORA: the adapter for the base model ({@code adapter_config.json},
 *       {@code adapter_model.safetensors}).</li>
 *   <li>FULL: {@code config.json} and the weights (one file or a sharded index, whose shards
 *       must be plain file names the manifest lists), served with the base model's tokenizer,
 *       chat template and end-of-sequence ids; the verifier made sure the checkpoint's tokenizer
 *       files are the base's byte for byte.</li>
 * </ul>
 */
public final class CheckpointLoader {

    private final Path baseFolder;

    /**
     * @param baseFolder the base model's folder, whose tokenizer FULL checkpoints are served with
     */
    public CheckpointLoader(Path baseFolder) {
        this.baseFolder = baseFolder;
    }

    /** The adapter of a LORA checkpoint, for {@code model}. */
    public LoraAdapter adapter(VerifiedCheckpoint checkpoint, Llama model) {
        try {
            return PeftAdapterFiles.load(checkpoint.folder(), model);
        } catch (RuntimeException e) {
            throw CheckpointRefusedException.of(checkpoint.label(), e);
        }
    }

    /** The policy of a FULL checkpoint. */
    public Policy full(VerifiedCheckpoint checkpoint) {
        try {
            return Policy.withTokenizerOf(Llama.load(checkpoint.folder()), baseFolder);
        } catch (RuntimeException e) {
            throw CheckpointRefusedException.of(checkpoint.label(), e);
        }
    }
}
