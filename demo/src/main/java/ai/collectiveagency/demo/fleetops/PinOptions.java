package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.dlq.KafkaOptions;
import ai.collectiveagency.schemas.signing.FleetPinSigner;
import ai.collectiveagency.schemas.signing.SigningKeyException;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What pin and unpin share: the cluster, the topics' prefix, the operator's key, a reason. */
final class PinOptions {

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--prefix", paramLabel = "P",
            description = "The topics' prefix (default: ${DEFAULT-VALUE}).")
    private String prefix = TopicCatalogue.DEFAULT_PREFIX;

    @Option(names = "--signing-key", paramLabel = "FILE", required = true,
            description = "The operator's Ed25519 private key (PKCS#8 PEM, ./pipeline keygen"
                    + " --name operator); the replicas trust its public half through"
                    + " rollout.control.public-keys. A relative path is in the checkout.")
    private Path signingKey;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why, for the replicas' logs.")
    private String reason;

    String reason() {
        return reason;
    }

    /**
     * The writer these options give.
     *
     * @throws IllegalArgumentException when the key file or the prefix cannot work
     */
    FleetPinWriter writer(Path root) {
        FleetPinSigner signer;
        try {
            signer = FleetPinSigner.fromPem(root.resolve(signingKey).normalize());
        } catch (SigningKeyException e) {
            throw new IllegalArgumentException("--signing-key: " + e.getMessage(), e);
        }
        return new FleetPinWriter(kafka.settings(root), TopicCatalogue.withPrefix(prefix), signer,
                Clock.systemUTC());
    }
}
