package ai.collectiveagency.selfplay.checkpoint;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where checkpoint folders live, addressed by the {@code uri} of a {@code PolicyCheckpoint}.
 * {@link LocalDirectoryStore} reads {@code file:} URIs under one root (local disk, a shared
 * volume); a remote store (object storage, HTTP) would copy the folder into a local cache under
 * its root and return that.
 */
public interface CheckpointStore {

    /**
     * The local folder holding the checkpoint's files, as the trainer wrote them (its real path).
     *
     * @throws CheckpointRefusedException {@link RefusalReason#URI} for a URI this store does not
     *     read, {@link RefusalReason#CONFINEMENT} for one outside the root,
     *     {@link RefusalReason#MISSING} when it names no folder
     */
    Path folder(URI uri);

    /** The real path of the tree every checkpoint file must resolve into. */
    Path root();
}
