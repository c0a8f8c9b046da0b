package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.SignatureCheck;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a {@code PolicyCheckpoint} may be loaded, before anything is loaded, in this
 * order (each step trusts only what the steps before it established):
 *
 * <ol>
 *   <li>the signature: a trusted key's ({@code rollout.checkpoints.public-keys}) over every other
 *       field, so nothing below is read from a record the trainer did not sign;</li>
 *   <li>the version: above the one served (under the fleet's pin: another one, lower too);</li>
 *   <li>the base model: {@code base_model_sha256} is the served base's identity (and a LORA
 *       adapter's {@code base_model} one of its names);</li>
 *   <li>the URI: a {@code file:} URI the store confines to its root, naming a folder;</li>
 *   <li>the manifest: {@code sha256} is the digest of the folder's {@code manifest.json}, every
 *       file is listed, present with its size and confined to the root
 *       ({@link VerifiedFolder#open});</li>
 *   <li>for FULL: its tokenizer files are the base model's, byte for byte (the base's
 *       tokenizer is the one served).</li>
 * </ol>
 *
 * File contents are checked as they are loaded ({@link CheckpointLoader}): the bytes hashed are
 * the bytes loaded, so a file swapped after this check is still caught.
 */
public final class CheckpointVerifier {

    private final TrustedKeys keys;
    private final CheckpointStore store;
    private final BaseModel base;

    public CheckpointVerifier(TrustedKeys keys, CheckpointStore store, BaseModel base) {
        this.keys = keys;
        this.store = store;
        this.base = base;
    }

    /** The base model checkpoints are matched against. */
    public BaseModel base() {
        return base;
    }

    /**
     * @param servedVersion the version served now; the checkpoint must be newer
     * @return the checkpoint and its folder, pinned by its manifest
     * @throws CheckpointRefusedException with the reason and a message naming the version and
     *     what is wrong
     */
    public VerifiedCheckpoint verify(PolicyCheckpoint checkpoint, long servedVersion) {
        return verify(checkpoint, servedVersion, false);
    }

    /**
     * @param servedVersion the version served now
     * @param pinned whether the fleet is pinned to this checkpoint's version: then it may be
     *     lower than the served one (a rollback), only not the same
     * @return the checkpoint and its folder, pinned by its manifest
     * @throws CheckpointRefusedException with the reason and a message naming the version and
     *     what is wrong
     */
    public VerifiedCheckpoint verify(PolicyCheckpoint checkpoint, long servedVersion,
            boolean pinned) {
        String version = "checkpoint version " + checkpoint.getVersion();
        SignatureCheck signature = keys.verify(checkpoint);
        if (!signature.valid()) {
            throw new CheckpointRefusedException(switch (signature.outcome()) {
                case UNSIGNED -> RefusalReason.UNSIGNED;
                case UNKNOWN_KEY -> RefusalReason.UNKNOWN_KEY;
                default -> RefusalReason.SIGNATURE;
            }, version + " (uri " + checkpoint.getUri() + "): " + signature.detail());
        }
        if (pinned && checkpoint.getVersion() == servedVersion) {
            throw new CheckpointRefusedException(RefusalReason.NOT_NEWER, version
                    + ": the pinned version is served already");
        }
        if (!pinned && checkpoint.getVersion() <= servedVersion) {
            throw new CheckpointRefusedException(RefusalReason.NOT_NEWER, version + ": version "
                    + servedVersion + " is served (versions only move forward)");
        }
        requireBaseModel(checkpoint, version);
        URI uri;
        try {
            uri = new URI(checkpoint.getUri());
        } catch (URISyntaxException e) {
            throw new CheckpointRefusedException(RefusalReason.URI, version + ": uri '"
                    + checkpoint.getUri() + "' is not a URI (" + e.getMessage() + ")", e);
        }
        Path folder;
        try {
            folder = store.folder(uri);
        } catch (CheckpointRefusedException e) {
            throw new CheckpointRefusedException(e.reason(), version + ": " + e.getMessage(), e);
        }
        VerifiedFolder verified;
        try {
            verified = VerifiedFolder.open(folder, checkpoint.getSha256(), store.root());
        } catch (RuntimeException e) {
            throw CheckpointRefusedException.of(version, e);
        }
        if (checkpoint.getFormat() == CheckpointFormat.FULL) {
            requireBaseTokenizer(verified, version);
        }
        return new VerifiedCheckpoint(checkpoint, verified);
    }

    private void requireBaseModel(PolicyCheckpoint checkpoint, String version) {
        String digest = checkpoint.getBaseModelSha256();
        if (!base.sha256().equals(digest)) {
            throw new CheckpointRefusedException(RefusalReason.BASE_MODEL, version + ": made on"
                    + " base model '" + checkpoint.getBaseModel() + "' with sha256 "
                    + (digest == null ? "(none recorded)" : digest) + ", but this service serves "
                    + base.folder() + " with sha256 " + base.sha256());
        }
        if (checkpoint.getFormat() == CheckpointFormat.LORA
                && !base.names().contains(checkpoint.getBaseModel())) {
            throw new CheckpointRefusedException(RefusalReason.BASE_MODEL, version
                    + ": a LORA adapter for base model '" + checkpoint.getBaseModel()
                    + "', but this service serves " + new TreeSet<>(base.names()));
        }
    }

    /** A FULL checkpoint's tokenizer files, by manifest digest, are exactly the base's. */
    private void requireBaseTokenizer(VerifiedFolder folder, String version) {
        Map<String, String> carried = new TreeMap<>();
        for (String name : ModelCheckpoint.TOKENIZER_FILES) {
            Sha256Manifest.Entry entry = folder.files().get(name);
            if (entry != null) {
                carried.put(name, entry.sha256());
            }
        }
        if (!carried.equals(new TreeMap<>(base.tokenizerFiles()))) {
            throw new CheckpointRefusedException(RefusalReason.TOKENIZER, version + ": its"
                    + " tokenizer files " + carried.keySet() + " are not the base model's "
                    + new TreeMap<>(base.tokenizerFiles()).keySet() + " byte for byte; a FULL"
                    + " checkpoint is served with the base model's tokenizer");
        }
    }
}
