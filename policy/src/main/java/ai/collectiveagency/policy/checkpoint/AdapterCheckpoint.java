package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;

import java.nio.file.Path;

/**
 * A LoRA adapter saved in PEFT's layout ({@code adapter_config.json},
 * {@code adapter_model.safetensors}, see {@link PeftAdapterFiles}) plus a {@link Sha256Manifest},
 * written last.
 *
 * <p>Usage: {@code AdapterCheckpoint.save(lora, dir, "stories260k");
 * LoraAdapter back = AdapterCheckpoint.load(dir, model);}
 */
public final class AdapterCheckpoint {

    private AdapterCheckpoint() {}

    /**
     * Saves into a new or empty {@code folder}.
     *
     * @param baseModelNameOrPath written as {@code base_model_name_or_path}; may be null
     */
    public static void save(LoraAdapter adapter, Path folder, String baseModelNameOrPath) {
        CheckpointFolders.prepareEmpty(folder);
        PeftAdapterFiles.save(adapter, folder, baseModelNameOrPath);
        Sha256Manifest.write(folder);
    }

    /**
     * Reads the adapter for {@code model}, each file checked against the folder's manifest as it
     * is read.
     */
    public static LoraAdapter load(Path folder, Llama model) {
        return PeftAdapterFiles.load(VerifiedFolder.open(folder), model);
    }
}
