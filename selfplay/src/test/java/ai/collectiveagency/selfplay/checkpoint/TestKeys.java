package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.Ed25519Keys;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.security.KeyPair;
import java.util.List;

/**
 * A key pair made at test time (no private key is ever committed): the trainer's signer and the
 * replicas' trust in it.
 */
public record TestKeys(CheckpointSigner signer, TrustedKeys trusted) {

    public static TestKeys generate() {
        KeyPair pair = Ed25519Keys.generate();
        return new TestKeys(new CheckpointSigner(pair.getPrivate()),
                new TrustedKeys(List.of(pair.getPublic())));
    }
}
