package ai.collectiveagency.demo.keys;

import ai.collectiveagency.demo.cli.CommandMain;
import ai.collectiveagency.schemas.signing.Ed25519Keys;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.schemas.signing.SigningKeyException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygen --out DIR [--name NAME]}: makes the Ed25519 key pair that signs checkpoint
 * announcements: {@code DIR/<name>.key.pem} (PKCS#8, mode 0600), the trainer's
 * {@code trainer.signing.private-key}, and {@code DIR/<name>.pub.pem} (X.509), every replica's
 * {@code rollout.checkpoints.public-keys}. Existing files are never overwritten.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Makes the Ed25519 key pair the trainer signs checkpoints with.")
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true,
            description = "The folder to write the two files into (created if needed); a"
                    + " relative one is in the checkout, like the other commands' paths.")
    private Path out;

    @Option(names = "--name", defaultValue = "trainer",
            description = "The files' base name: <name>.key.pem and <name>.pub.pem"
                    + " (default: ${DEFAULT-VALUE}).")
    private String name;

    private final Path root;
    private final PrintStream log;

    KeygenCommand(Path root, PrintStream log) {
        this.root = root;
        this.log = log;
    }

    public static void main(String[] args) {
        CommandMain.run(KeygenCommand::new, args);
    }

    @Override
    public Integer call() {
        KeyPairFiles files;
        try {
            files = KeyPairFiles.in(root.resolve(out).normalize(), name).generate();
        } catch (SigningKeyException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return CommandMain.USAGE_ERROR;
        }
        String keyId = Ed25519Keys.keyId(Ed25519Keys.readPublicKey(files.publicKey()));
        log.printf("keygen: key %s%n"
                + "  private: %s (mode 0600; the trainer's trainer.signing.private-key,"
                + " a Secret in Kubernetes)%n"
                + "  public:  %s (every replica's rollout.checkpoints.public-keys)%n",
                keyId, files.privateKey(), files.publicKey());
        return 0;
    }
}
