package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.policy.checkpoint.AdapterCheckpoint;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.rollout.negotiation.TestTasks;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/** Checkpoints of {@code qwen2-tiny-random} as the trainer would publish them. */
public final class TestCheckpoints {

    /** The base model's name, as {@code base_model} carries it. */
    public static final String BASE = "qwen2-tiny-random";
    /** The adapter file a tampering test alters. */
    public static final String ADAPTER_FILE = "adapter_model.safetensors";

    private TestCheckpoints() {}

    /**
     * Saves a LoRA adapter (r 4) for the test model with random non-zero B, so it changes what
     * the model samples, and returns the record announcing it.
     */
    public static PolicyCheckpoint lora(Path folder, long version) {
        try (Llama model = Llama.load(TestTasks.MODEL);
                LoraAdapter adapter = LoraAdapter.initialize(model,
                        LoraConfig.of(4, 8).withSeed(version))) {
            randomizeB(adapter, version, 0.5f);
            AdapterCheckpoint.save(adapter, folder, BASE);
        }
        return record(version, folder, Sha256Manifest.digest(folder), CheckpointFormat.LORA, BASE);
    }

    public static PolicyCheckpoint record(long version, Path folder, String sha256,
            CheckpointFormat format, String baseModel) {
        return PolicyCheckpoint.newBuilder().setVersion(version).setStep(version * 10)
                .setUri(folder.toAbsolutePath().toUri().toString()).setSha256(sha256)
                .setFormat(format).setBaseModel(baseModel)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                .setMetrics(Map.of()).setConsumedOffsets(Map.of()).build();
    }

    /** Flips one bit of the adapter weights after the manifest was written (same size). */
    public static void tamper(Path folder) {
        Path file = folder.resolve(ADAPTER_FILE);
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 1;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void randomizeB(LoraAdapter adapter, long seed, float bound) {
        Random random = new Random(seed);
        adapter.parameters().forEach((name, array) -> {
            if (name.endsWith("lora_B.weight")) {
                float[] values = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (2 * random.nextFloat() - 1) * bound;
                }
                array.set(FloatBuffer.wrap(values));
            }
        });
    }
}
