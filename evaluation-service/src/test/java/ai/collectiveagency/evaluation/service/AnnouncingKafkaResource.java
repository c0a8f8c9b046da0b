package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real in-process broker on which the trainer has already announced versions 1 to 3 (signed
 * LoRA adapters in a temporary store) and an unsigned version 4 when the service starts: the
 * service trusts the run's public key and the store.
 */
public class AnnouncingKafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String CHECKPOINTS = TopicCatalogue.defaults().name(LogicalTopic.CHECKPOINTS);
    static final String METRICS = TopicCatalogue.defaults().name(LogicalTopic.METRICS);

    private LocalKafka kafka;
    private Path work;

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary();
        Path store;
        KeyPairFiles keys;
        try {
            work = Files.createTempDirectory("evaluation-test");
            store = Files.createDirectories(work.resolve("store"));
            keys = KeyPairFiles.in(work.resolve("keys"), "trainer").generate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CheckpointSigner signer = CheckpointSigner.fromPem(keys.privateKey());
        publish(List.of(TestCheckpoints.lora(store.resolve("v1"), 1, signer),
                TestCheckpoints.lora(store.resolve("v2"), 2, signer),
                TestCheckpoints.lora(store.resolve("v3"), 3, signer)));
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "evaluation.checkpoints.public-keys", keys.publicKey().toString(),
                "evaluation.checkpoints.store-root", store.toString());
    }

    private void publish(List<PolicyCheckpoint> checkpoints) {
        checkpoints.forEach(c -> TestCheckpoints.announce(kafka.bootstrapServers(), CHECKPOINTS,
                c));
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
