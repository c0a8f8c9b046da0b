package ai.collectiveagency.demo.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline fleet pin|unpin} against a real local broker: the record it writes is the
 * topic's current pin, signed by the operator's key; a bad version or key writes nothing.
 */
class PinCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static LocalKafka kafka;
    private static TopicCatalogue topics = TopicCatalogue.withPrefix("pin-test.");

    @TempDir
    static Path root;
    private static KeyPairFiles operator;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = LocalKafka.startTemporary();
        try (Admin admin = kafka.createAdmin()) {
            topics.ensureTopics(admin);
        }
        operator = KeyPairFiles.in(root.resolve("keys"), "operator").generate();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private int run(String... args) {
        // Pinning needs no Kubernetes: a client opened here would be a test failure.
        CommandLine cli = new CommandLine(new FleetCommand(root,
                new PrintStream(out, true, StandardCharsets.UTF_8), context -> {
                    throw new AssertionError("pin opened a Kubernetes client");
                }));
        return cli.execute(args);
    }

    private String[] with(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", kafka.bootstrapServers(), "--prefix",
                topics.prefix(), "--signing-key", operator.privateKey().toString()));
        return all.toArray(String[]::new);
    }

    private FleetPin current() {
        return FleetPins.current(KafkaClientSettings.plaintext(kafka.bootstrapServers()), topics,
                TIMEOUT).orElseThrow();
    }

    @Test
    void pinThenUnpinAreTheTopicsCurrentStateSignedByTheOperator() {
        TrustedKeys operators = TrustedKeys.fromPem(List.of(operator.publicKey()));

        assertThat(run(with("pin", "v3", "--reason", "v4 talks nonsense"))).isZero();
        FleetPin pinned = current();
        assertThat(pinned.getPinned()).isTrue();
        assertThat(pinned.getVersion()).isEqualTo(3L);
        assertThat(pinned.getReason()).isEqualTo("v4 talks nonsense");
        assertThat(operators.verify(pinned).valid()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pinned the fleet to version 3");

        assertThat(run(with("unpin"))).isZero();
        FleetPin unpinned = current();
        assertThat(unpinned.getPinned()).isFalse();
        assertThat(operators.verify(unpinned).valid()).isTrue();
    }

    @Test
    void aVersionThatIsNoVersionIsAUsageErrorAndWritesNothing() {
        FleetPin before = run(with("unpin")) == 0 ? current() : null;

        assertThat(run(with("pin", "latest"))).isEqualTo(2);
        assertThat(run("pin", "3", "--bootstrap-server", kafka.bootstrapServers(), "--prefix",
                topics.prefix(), "--signing-key", "no-such-key.pem")).isEqualTo(2);

        assertThat(current()).isEqualTo(before);
    }
}
