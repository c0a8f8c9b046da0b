package ai.collectiveagency.policy.optim;

import ai.collectiveagency.policy.checkpoint.SafetensorsFile;
import ai.collectiveagency.policy.checkpoint.SafetensorsWriter;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores {@link AdamW} so that a resumed run makes bit-identical updates.
 *
 * <p>{@value #TENSORS}: per parameter {@code <name>.exp_avg} and {@code <name>.exp_avg_sq}
 * (float32, the parameter's shape). {@value #MANIFEST}: the step count, the hyper-parameters, the
 * schedule and the parameter names. Each file is written beside its target and then moved over
 * it, so a crash mid-save leaves the previous state whole.
 */
final class OptimizerCheckpoint {

    static final String TENSORS = "optimizer.safetensors";
    static final String MANIFEST = "optimizer.json";
    private static final String EXP_AVG = ".exp_avg";
    private static final String EXP_AVG_SQ = ".exp_avg_sq";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contents of {@value #MANIFEST}. */
    record Manifest(
            int step, AdamWConfig config, ScheduleConfig schedule, List<String> parameters) {}

    private OptimizerCheckpoint() {}

    static void save(AdamW optimizer, Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        optimizer.moments().forEach((name, moments) -> {
            tensors.put(name + EXP_AVG, SafetensorsWriter.Tensor.of(name, moments.expAvg()));
            tensors.put(name + EXP_AVG_SQ, SafetensorsWriter.Tensor.of(name, moments.expAvgSq()));
        });
        Path tensorsFile = directory.resolve(TENSORS);
        Path tensorsDraft = directory.resolve(TENSORS + ".partial");
        SafetensorsWriter.write(tensorsDraft, tensors, Map.of());
        Files.move(tensorsDraft, tensorsFile, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Manifest manifest = new Manifest(optimizer.stepCount(), optimizer.config(),
                optimizer.scheduleConfig(), List.copyOf(optimizer.parameters().keySet()));
        Path manifestDraft = directory.resolve(MANIFEST + ".partial");
        JSON.writerWithDefaultPrettyPrinter().writeValue(manifestDraft.toFile(), manifest);
        Files.move(manifestDraft, directory.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    static AdamW restore(Path directory, Map<String, NDArray> parameters) throws IOException {
        Manifest manifest = JSON.readValue(directory.resolve(MANIFEST).toFile(), Manifest.class);
        if (!new HashSet<>(manifest.parameters()).equals(parameters.keySet())) {
            throw new IllegalArgumentException("saved optimizer state is for parameters "
                    + manifest.parameters() + ", not " + parameters.keySet());
        }
        AdamW optimizer = new AdamW(parameters, manifest.config(), manifest.schedule());
        NDArray first = parameters.values().iterator().next();
        try (NDManager scratch = first.getManager().newSubManager();
                SafetensorsFile file = SafetensorsFile.open(directory.resolve(TENSORS))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            file.tensors().keySet().forEach(key -> tensors.put(key, file.readArray(key, scratch)));
            Map<String, AdamW.Moments> saved = new LinkedHashMap<>();
            parameters.forEach((name, parameter) -> saved.put(name, new AdamW.Moments(
                    matching(tensors, name + EXP_AVG, parameter),
                    matching(tensors, name + EXP_AVG_SQ, parameter))));
            optimizer.load(manifest.step(), saved);
            return optimizer;
        } catch (RuntimeException e) {
            optimizer.close();
            throw e;
        }
    }

    private static NDArray matching(Map<String, NDArray> tensors, String key, NDArray parameter) {
        NDArray tensor = tensors.get(key);
        if (tensor == null) {
            throw new IllegalArgumentException("saved optimizer state lacks " + key);
        }
        if (!tensor.getShape().equals(parameter.getShape())) {
            throw new IllegalArgumentException(key + " was saved with shape " + tensor.getShape()
                    + " but the parameter has shape " + parameter.getShape());
        }
        return tensor;
    }
}
