package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.checkpoint.SafetensorsFile;
import ai.collectiveagency.policy.checkpoint.SafetensorsStream;
import ai.collectiveagency.policy.checkpoint.SafetensorsWriter;
import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LoRA adapter in PEFT's folder layout, which {@code PeftModel.from_pretrained} and vLLM read:
 * {@code adapter_config.json} and {@code adapter_model.safetensors} (float32) holding
 * {@code base_model.model.<projection>.lora_A.weight} (r, in) and {@code ...lora_B.weight}
 * (out, r) for every layer and target module.
 */
public final class PeftAdapterFiles {

    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private PeftAdapterFiles() {}

    /** Writes the adapter's two files into {@code folder} (created if needed). */
    public static void save(LoraAdapter adapter, Path folder, String baseModelNameOrPath) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        new PeftAdapterConfig(adapter.config(), baseModelNameOrPath)
                .write(folder.resolve(PeftAdapterConfig.FILE));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        adapter.parameters().forEach((name, array) -> tensors.put(name,
                SafetensorsWriter.Tensor.of(name, array)));
        SafetensorsWriter.write(folder.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
    }

    /**
     * Reads an adapter for {@code model} (not installed; call {@link Llama#setAdapter}); its
     * arrays live in a sub-manager of the model's parameters.
     *
     * @throws ModelFolderException naming the file and tensor when the adapter does not fit the
     *     model: a missing or unexpected tensor, or a shape that differs from the model's
     */
    public static LoraAdapter load(Path folder, Llama model) {
        PeftAdapterConfig peft = PeftAdapterConfig.read(folder.resolve(PeftAdapterConfig.FILE));
        Path file = folder.resolve(WEIGHTS_FILE);
        if (!Files.exists(file)) {
            throw new ModelFolderException(file + ": missing (only safetensors adapters are read)");
        }
        Map<String, long[]> expected = expectedShapes(model.config(), peft.lora());
        NDManager manager = model.parameters().manager().newSubManager();
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            check(file, safetensors.tensors(), expected, model.config(), peft.lora());
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            expected.keySet().forEach(name -> arrays.put(name,
                    safetensors.readArray(name, manager)));
            return adapter(peft.lora(), model.config(), arrays, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Reads an adapter for {@code model} from a verified folder: each file read once, from the
     * very bytes whose digests the folder's manifest lists ({@link VerifiedFolder#read}).
     *
     * @throws ModelFolderException as {@link #load(Path, Llama)}; a
     *     {@link ai.collectiveagency.policy.checkpoint.CorruptCheckpointException} when a file's
     *     bytes are not the listed ones
     */
    public static LoraAdapter load(VerifiedFolder folder, Llama model) {
        Path configFile = folder.path().resolve(PeftAdapterConfig.FILE);
        if (!folder.has(PeftAdapterConfig.FILE)) {
            throw new ModelFolderException(configFile + ": missing");
        }
        PeftAdapterConfig peft = PeftAdapterConfig.parse(folder.readAll(PeftAdapterConfig.FILE),
                configFile);
        Path file = folder.path().resolve(WEIGHTS_FILE);
        if (!folder.has(WEIGHTS_FILE)) {
            throw new ModelFolderException(file + ": missing (only safetensors adapters are read)");
        }
        Map<String, long[]> expected = expectedShapes(model.config(), peft.lora());
        NDManager manager = model.parameters().manager().newSubManager();
        try {
            Map<String, NDArray> arrays = folder.read(WEIGHTS_FILE, (in, size) ->
                    SafetensorsStream.read(in, size, file, header -> {
                        check(file, header, expected, model.config(), peft.lora());
                        return expected.keySet();
                    }, manager));
            return adapter(peft.lora(), model.config(), arrays, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Every tensor a factor of this model and r, every factor present in its shape. */
    private static void check(Path file, Map<String, SafetensorsFile.TensorInfo> tensors,
            Map<String, long[]> expected, LlamaConfig model, LoraConfig lora) {
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new ModelFolderException(file + ": tensor '" + name + "' is not a LoRA"
                        + " factor of this model (" + model.numLayers() + " layers,"
                        + " target_modules " + lora.targetModules() + ")");
            }
        }
        expected.forEach((name, shape) -> {
            SafetensorsFile.TensorInfo info = tensors.get(name);
            if (info == null) {
                throw new ModelFolderException(file + ": missing tensor '" + name + "'");
            }
            if (!Arrays.equals(info.shape(), shape)) {
                throw new ModelFolderException(file + ": tensor '" + name + "' has shape "
                        + Arrays.toString(info.shape()) + ", the model and r need "
                        + Arrays.toString(shape));
            }
        });
    }

    private static LoraAdapter adapter(LoraConfig lora, LlamaConfig model,
            Map<String, NDArray> arrays, NDManager manager) {
        Map<String, LoraWeights> weights = new LinkedHashMap<>();
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (String module : lora.targetModules()) {
                String prefix = ParameterNames.projection(layer, module);
                weights.put(prefix, new LoraWeights(arrays.get(PeftKeys.loraA(prefix)),
                        arrays.get(PeftKeys.loraB(prefix))));
            }
        }
        return new LoraAdapter(lora, manager, weights);
    }

    /** PEFT name to shape of every factor the model needs: A (r, in), B (out, r). */
    private static Map<String, long[]> expectedShapes(LlamaConfig model, LoraConfig lora) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (String module : lora.targetModules()) {
                String prefix = ParameterNames.projection(layer, module);
                long[] outIn = ParameterNames.projectionShape(model, module);
                shapes.put(PeftKeys.loraA(prefix), new long[] {lora.rank(), outIn[1]});
                shapes.put(PeftKeys.loraB(prefix), new long[] {outIn[0], lora.rank()});
            }
        }
        return shapes;
    }
}
