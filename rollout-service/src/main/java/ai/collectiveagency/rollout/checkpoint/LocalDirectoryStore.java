package ai.collectiveagency.rollout.checkpoint;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint store that is a directory: {@code file:} URIs of folders on this machine (local
 * disk, or a volume every replica and the trainer mount at the same path), e.g.
 * {@code file:///checkpoints/run-7/v000012/}.
 */
public final class LocalDirectoryStore implements CheckpointStore {

    @Override
    public Path folder(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new CheckpointRefusedException(RefusalReason.URI, "checkpoint uri '" + uri
                    + "': only file: URIs are read (a local or shared directory)");
        }
        Path folder;
        try {
            folder = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new CheckpointRefusedException(RefusalReason.URI, "checkpoint uri '" + uri
                    + "': not an absolute file: URI of a folder (" + e.getMessage() + ")", e);
        }
        if (!Files.isDirectory(folder)) {
            throw new CheckpointRefusedException(RefusalReason.MISSING, folder
                    + ": no such checkpoint folder (uri " + uri + ")");
        }
        return folder;
    }
}
