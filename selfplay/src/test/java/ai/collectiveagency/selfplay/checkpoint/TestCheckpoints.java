package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.checkpoint.AdapterCheckpoint;
import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.selfplay.TestTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Checkpoints of {@code qwen2-tiny-random} as the trainer would publish them. */
public final class TestCheckpoints {

    /** The base model's name, as {@code base_model} carries it. */
    public static final String BASE = "qwen2-tiny-random";
    /** The base model's identity, as {@code base_model_sha256} carries it. */
    public static final String BASE_SHA256 = BaseModelIdentity.sha256(TestTasks.MODEL);
    /** The adapter file a tampering test alters. */
    public static final String ADAPTER_FILE = "adapter_model.safetensors";

    private TestCheckpoints() {}

    /** The served base model as the verifier matches checkpoints against it. */
    public static BaseModel base() {
        return BaseModel.of(TestTasks.MODEL, Set.of(BASE));
    }

    /**
     * Saves a LoRA adapter (r 4) for the test model with random non-zero B, so it changes what
     * the model samples, and returns the record announcing it, signed by {@code signer}.
     */
    public static PolicyCheckpoint lora(Path folder, long version, CheckpointSigner signer) {
        try (Llama model = Llama.load(TestTasks.MODEL);
                LoraAdapter adapter = LoraAdapter.initialize(model,
                        LoraConfig.of(4, 8).withSeed(version))) {
            randomizeB(adapter, version, 0.5f);
            AdapterCheckpoint.save(adapter, folder, BASE);
        }
        return signer.sign(record(version, folder, CheckpointFormat.LORA));
    }

    /** Saves the base model's weights as a FULL checkpoint (with its tokenizer files), signed. */
    public static PolicyCheckpoint full(Path folder, long version, CheckpointSigner signer) {
        try (Llama model = Llama.load(TestTasks.MODEL)) {
            ModelCheckpoint.save(folder, model.config(), model.parameters(), TestTasks.MODEL);
        }
        return signer.sign(record(version, folder, CheckpointFormat.FULL));
    }

    /**
     * Announces {@code checkpoint} on {@code topic} as the trainer does: keyed by base model,
     * acknowledged.
     */
    public static void announce(String bootstrapServers, String topic,
            PolicyCheckpoint checkpoint) {
        try (KafkaProducer<String, PolicyCheckpoint> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new PolicyCheckpointSerializer())) {
            producer.send(new ProducerRecord<>(topic, checkpoint.getBaseModel(), checkpoint))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot announce checkpoint", e.getCause());
        }
    }

    /** The unsigned record of {@code folder} as it is now (its manifest's digest). */
    public static PolicyCheckpoint record(long version, Path folder, CheckpointFormat format) {
        return record(version, folder, Sha256Manifest.digest(folder), format, BASE);
    }

    /** An unsigned record as the trainer would build it before signing. */
    public static PolicyCheckpoint record(long version, Path folder, String sha256,
            CheckpointFormat format, String baseModel) {
        return PolicyCheckpoint.newBuilder().setVersion(version).setStep(version * 10)
                .setUri(folder.toAbsolutePath().toUri().toString()).setSha256(sha256)
                .setFormat(format).setBaseModel(baseModel).setBaseModelSha256(BASE_SHA256)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                .setMetrics(Map.of()).setConsumedOffsets(Map.of()).build();
    }

    /** Flips one bit of the adapter weights after the manifest was written (same size). */
    public static void tamper(Path folder) {
        flipByte(folder.resolve(ADAPTER_FILE));
    }

    /** Flips one bit near the end of {@code file}: same size, other bytes. */
    public static void flipByte(Path file) {
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
