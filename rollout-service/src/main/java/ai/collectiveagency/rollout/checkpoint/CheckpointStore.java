package ai.collectiveagency.rollout.checkpoint;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where checkpoint folders live, addressed by the {@code uri} of a {@code PolicyCheckpoint}.
 * {@link LocalDirectoryStore} reads {@code file:} URIs (local disk, a shared volume); a remote
 * store (object storage, HTTP) would copy the folder to a local cache and return that.
 */
public interface CheckpointStore {

    /**
     * The local folder holding the checkpoint's files, as the trainer wrote them.
     *
     * @throws CheckpointRefusedException {@link RefusalReason#URI} for a URI this store does not
     *     read, {@link RefusalReason#MISSING} when it names no folder
     */
    Path folder(URI uri);
}
