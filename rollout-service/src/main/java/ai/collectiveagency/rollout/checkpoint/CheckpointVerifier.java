package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.policy.checkpoint.CorruptCheckpointException;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Decides whether a {@code PolicyCheckpoint} may be loaded, before anything is loaded:
 *
 * <ol>
 *   <li>a LORA adapter must be for the served base model ({@code base_model} is one of its
 *       names);</li>
 *   <li>the store must resolve {@code uri} to a folder;</li>
 *   <li>{@code sha256} must be the SHA-256 of that folder's {@code manifest.json} bytes;</li>
 *   <li>every file must match the manifest ({@link Sha256Manifest#verify}), none unlisted.</li>
 * </ol>
 *
 * Step 3 ties the record to the manifest and step 4 the manifest to every byte, so a folder
 * rewritten after the record was published is refused.
 */
public final class CheckpointVerifier {

    private final CheckpointStore store;
    private final Set<String> baseModelNames;

    /**
     * @param baseModelNames the names a LORA record's {@code base_model} may carry for the served
     *     base model (its config name, and the name it is served under)
     */
    public CheckpointVerifier(CheckpointStore store, Set<String> baseModelNames) {
        this.store = store;
        this.baseModelNames = Set.copyOf(baseModelNames);
    }

    /**
     * @return the verified checkpoint folder
     * @throws CheckpointRefusedException with the reason and a message naming the version and
     *     what is wrong
     */
    public Path verify(PolicyCheckpoint checkpoint) {
        String version = "checkpoint version " + checkpoint.getVersion();
        if (checkpoint.getFormat() == CheckpointFormat.LORA
                && !baseModelNames.contains(checkpoint.getBaseModel())) {
            throw new CheckpointRefusedException(RefusalReason.BASE_MODEL, version
                    + ": a LORA adapter for base model '" + checkpoint.getBaseModel()
                    + "', but this service serves " + baseModelNames);
        }
        URI uri;
        try {
            uri = new URI(checkpoint.getUri());
        } catch (java.net.URISyntaxException e) {
            throw new CheckpointRefusedException(RefusalReason.URI, version + ": uri '"
                    + checkpoint.getUri() + "' is not a URI (" + e.getMessage() + ")", e);
        }
        Path folder;
        try {
            folder = store.folder(uri);
        } catch (CheckpointRefusedException e) {
            throw new CheckpointRefusedException(e.reason(), version + ": " + e.getMessage(), e);
        }
        try {
            String digest = Sha256Manifest.digest(folder);
            if (!digest.equals(checkpoint.getSha256())) {
                throw new CheckpointRefusedException(RefusalReason.SHA256, version + ": "
                        + folder.resolve(Sha256Manifest.FILE) + " has sha256 " + digest
                        + ", the record says " + checkpoint.getSha256());
            }
            Sha256Manifest.verify(folder);
        } catch (CorruptCheckpointException e) {
            throw new CheckpointRefusedException(RefusalReason.CORRUPT, version + ": "
                    + e.getMessage(), e);
        }
        return folder;
    }
}
