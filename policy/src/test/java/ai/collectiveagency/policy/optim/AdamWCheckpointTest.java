package ai.collectiveagency.policy.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWCheckpointTest {

    private static final AdamWConfig CONFIG = AdamWConfig.torchDefaults(0.05);
    private static final ScheduleConfig SCHEDULE =
            new ScheduleConfig(ScheduleConfig.Kind.WARMUP_COSINE, 2, 10);

    @TempDir
    Path directory;

    @Test
    void resumedRunIsBitIdenticalToAnUninterruptedOne() throws IOException {
        float[] uninterrupted;
        try (NDManager manager = OfflineEngine.manager()) {
            Map<String, NDArray> parameters = parameters(manager);
            try (AdamW optimizer = new AdamW(parameters, CONFIG, SCHEDULE)) {
                train(optimizer, 0, 5);
            }
            uninterrupted = flatten(parameters);
        }

        float[] resumed;
        try (NDManager manager = OfflineEngine.manager()) {
            Map<String, NDArray> parameters = parameters(manager);
            try (AdamW optimizer = new AdamW(parameters, CONFIG, SCHEDULE)) {
                train(optimizer, 0, 3);
                optimizer.save(directory);
            }
            try (AdamW optimizer = AdamW.restore(directory, parameters)) {
                assertThat(optimizer.stepCount()).isEqualTo(3);
                train(optimizer, 3, 5);
            }
            resumed = flatten(parameters);
        }

        assertThat(resumed).containsExactly(uninterrupted);
    }

    @Test
    void stateIsStandardSafetensorsWithTorchNames() throws IOException {
        try (NDManager manager = OfflineEngine.manager();
                AdamW optimizer = new AdamW(parameters(manager), CONFIG, SCHEDULE)) {
            train(optimizer, 0, 1);
            optimizer.save(directory);
        }
        byte[] file = Files.readAllBytes(directory.resolve("optimizer.safetensors"));
        long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) headerLength,
                StandardCharsets.UTF_8));

        assertThat(header.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "layer.weight.exp_avg", "layer.weight.exp_avg_sq",
                "layer.bias.exp_avg", "layer.bias.exp_avg_sq");
        assertThat(header.get("layer.weight.exp_avg").get("dtype").asText()).isEqualTo("F32");
        assertThat(header.get("layer.weight.exp_avg").get("shape").toString()).isEqualTo("[2,3]");
        assertThat(file.length - 8 - headerLength).isEqualTo((6 + 6 + 3 + 3) * 4);
        JsonNode manifest = new ObjectMapper().readTree(
                directory.resolve("optimizer.json").toFile());
        assertThat(manifest.get("step").asInt()).isEqualTo(1);
        assertThat(manifest.get("schedule").get("kind").asText()).isEqualTo("WARMUP_COSINE");
    }

    @Test
    void stateOfOtherParametersIsRefused() throws IOException {
        try (NDManager manager = OfflineEngine.manager()) {
            try (AdamW optimizer = new AdamW(parameters(manager), CONFIG, SCHEDULE)) {
                optimizer.save(directory);
            }
            NDArray other = manager.zeros(new Shape(2));
            other.setRequiresGradient(true);
            assertThatThrownBy(() -> AdamW.restore(directory, Map.of("other", other)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer.weight");
        }
    }

    private static Map<String, NDArray> parameters(NDManager manager) {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put("layer.weight", manager.create(
                new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, new Shape(2, 3)));
        parameters.put("layer.bias", manager.create(new float[] {0.01f, 0.02f, -0.03f}));
        parameters.values().forEach(p -> p.setRequiresGradient(true));
        return parameters;
    }

    /** Steps {@code from} to {@code to}, with gradients that depend on the step and the weights. */
    private static void train(AdamW optimizer, int from, int to) {
        for (int step = from; step < to; step++) {
            for (NDArray parameter : optimizer.parameters().values()) {
                float[] values = parameter.toFloatArray();
                float[] gradient = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    gradient[i] = values[i] * (step + 1) - 0.1f * i;
                }
                TestGradients.accumulate(parameter, gradient);
            }
            optimizer.step();
            optimizer.zeroGradients();
        }
    }

    private static float[] flatten(Map<String, NDArray> parameters) {
        return parameters.values().stream().map(NDArray::toFloatArray)
                .reduce(new float[0], AdamWCheckpointTest::concat);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
