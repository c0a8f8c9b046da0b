package ai.collectiveagency.trainer.service;

import ai.collectiveagency.kafka.LocalKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real in-process broker and an empty checkpoint store, for a {@code @QuarkusTest}. */
public class BrokerAndStore implements QuarkusTestResourceLifecycleManager {

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary();
        try {
            Path store = Files.createTempDirectory("trainer-store");
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "trainer.store", store.toString());
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
