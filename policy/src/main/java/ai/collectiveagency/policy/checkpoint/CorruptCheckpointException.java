package ai.collectiveagency.policy.checkpoint;

/**
 * A checkpoint whose files differ from its {@code manifest.json}: a file changed, went missing or
 * appeared. Unlike a malformed folder, this means the bytes on disk are not what was written, so
 * the checkpoint must not be loaded; the message names the file.
 */
public class CorruptCheckpointException extends ModelFolderException {

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
