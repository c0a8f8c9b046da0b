package ai.collectiveagency.policy.checkpoint;

/**
 * A checkpoint folder whose {@code manifest.json} is not the one expected: its SHA-256 differs
 * from the digest its announcement carries, so the folder was rewritten after publishing (or the
 * announcement points at another folder).
 */
public class ManifestDigestException extends CorruptCheckpointException {

    public ManifestDigestException(String message) {
        super(message);
    }
}
