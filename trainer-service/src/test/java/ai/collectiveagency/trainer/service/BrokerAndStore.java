package ai.collectiveagency.trainer.service;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real in-process broker, an empty checkpoint store and a signing key pair made for the run
 * (the trainer signs with the private key; the test verifies with the public one, found under
 * {@link #PUBLIC_KEY}), for a {@code @QuarkusTest}.
 */
public class BrokerAndStore implements QuarkusTestResourceLifecycleManager {

    /** Config key under which a test finds the public key that verifies the announcements. */
    static final String PUBLIC_KEY = "test.signing.public-key";

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary();
        try {
            Path store = Files.createTempDirectory("trainer-store");
            KeyPairFiles keys = KeyPairFiles.in(Files.createTempDirectory("trainer-keys"),
                    "trainer").generate();
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "trainer.store", store.toString(),
                    "trainer.signing.private-key", keys.privateKey().toString(),
                    PUBLIC_KEY, keys.publicKey().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
