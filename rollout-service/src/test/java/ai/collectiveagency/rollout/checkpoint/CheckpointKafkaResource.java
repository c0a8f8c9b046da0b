package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real in-process broker whose checkpoints topic already announces a LoRA checkpoint
 * (version {@link #STARTUP_VERSION}, in a temporary store) when the service starts, signed by a
 * key pair made for the run: the service trusts its public key
 * ({@code rollout.checkpoints.public-keys}) and the store ({@code rollout.checkpoints.store-root});
 * the test signs with its private key, found under {@link #SIGNING_KEY}.
 */
public class CheckpointKafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.CHECKPOINTS);
    static final long STARTUP_VERSION = 1;
    /** Config key under which the test finds the store folder. */
    static final String STORE_KEY = "test.checkpoints.store";
    /** Config key under which the test finds the trainer's private key file. */
    static final String SIGNING_KEY = "test.checkpoints.signing-key";

    private LocalKafka kafka;
    private Path work;

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary();
        Path store;
        KeyPairFiles keys;
        try {
            work = Files.createTempDirectory("checkpoint-test");
            store = Files.createDirectories(work.resolve("store"));
            keys = KeyPairFiles.in(work.resolve("keys"), "trainer").generate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        publish(kafka.bootstrapServers(), TestCheckpoints.lora(store.resolve("v1"),
                STARTUP_VERSION, CheckpointSigner.fromPem(keys.privateKey())));
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "rollout.checkpoints.public-keys", keys.publicKey().toString(),
                "rollout.checkpoints.store-root", store.toString(),
                STORE_KEY, store.toString(),
                SIGNING_KEY, keys.privateKey().toString());
    }

    /** Announces {@code checkpoint} as the trainer does: keyed by base model, acknowledged. */
    static void publish(String bootstrapServers, PolicyCheckpoint checkpoint) {
        TestCheckpoints.announce(bootstrapServers, TOPIC, checkpoint);
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind
            }
        }
    }
}
