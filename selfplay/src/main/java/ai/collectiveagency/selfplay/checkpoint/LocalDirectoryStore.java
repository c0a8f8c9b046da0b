package ai.collectiveagency.selfplay.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint store that is a directory: {@code file:} URIs of folders under one root on this
 * machine (local disk, or a volume every replica and the trainer mount at the same path), e.g.
 * {@code file:///checkpoints/run-7/v000012/} under {@code /checkpoints}.
 *
 * <p>Confinement: the URI must be an absolute, hierarchical {@code file:} URI without host,
 * query or fragment, with no {@code .} or {@code ..} segment (also percent-encoded), whose path
 * lies strictly inside the root; the folder's real path (symlinks resolved) must lie inside the
 * root's real path too. A symlink that stays inside the root (a {@code latest} link, files shared
 * between versions) is followed; one that leaves it is refused. The files inside are confined
 * the same way when they are read ({@code VerifiedFolder}).
 */
public final class LocalDirectoryStore implements CheckpointStore {

    private final Path root;
    private final Path realRoot;

    private LocalDirectoryStore(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    /**
     * The store under {@code root}, which must be an existing directory.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code root}
     */
    public static LocalDirectoryStore under(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(absolute + " is not an existing directory");
        }
        try {
            return new LocalDirectoryStore(absolute, absolute.toRealPath());
        } catch (IOException e) {
            throw new IllegalArgumentException(absolute + " cannot be resolved (" + e + ")", e);
        }
    }

    @Override
    public Path root() {
        return realRoot;
    }

    @Override
    public Path folder(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new CheckpointRefusedException(RefusalReason.URI, "checkpoint uri '" + uri
                    + "': only file: URIs are read (a local or shared directory)");
        }
        Path folder;
        try {
            folder = Path.of(uri); // refuses opaque URIs, a host, a query, a fragment
        } catch (IllegalArgumentException e) {
            throw new CheckpointRefusedException(RefusalReason.URI, "checkpoint uri '" + uri
                    + "': not an absolute file: URI of a folder (" + e.getMessage() + ")", e);
        }
        for (String segment : uri.getPath().split("/")) { // decoded: %2e%2e is '..' here
            if (segment.equals("..") || segment.equals(".")) {
                throw new CheckpointRefusedException(RefusalReason.CONFINEMENT, "checkpoint uri '"
                        + uri + "': has a '" + segment + "' segment");
            }
        }
        if (!inside(folder, root) && !inside(folder, realRoot)) {
            throw new CheckpointRefusedException(RefusalReason.CONFINEMENT, "checkpoint uri '"
                    + uri + "': " + folder + " is outside the store root " + root
                    + " (rollout.checkpoints.store-root)");
        }
        if (!Files.exists(folder)) {
            throw new CheckpointRefusedException(RefusalReason.MISSING, folder
                    + ": no such checkpoint folder (uri " + uri + ")");
        }
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new CheckpointRefusedException(RefusalReason.MISSING, folder
                    + ": cannot be resolved (" + e + ")", e);
        }
        if (!inside(real, realRoot)) {
            throw new CheckpointRefusedException(RefusalReason.CONFINEMENT, folder
                    + ": resolves to " + real + ", outside the store root " + realRoot
                    + " (a symlink that leaves it)");
        }
        if (!Files.isDirectory(real)) {
            throw new CheckpointRefusedException(RefusalReason.MISSING, folder
                    + ": not a folder (uri " + uri + ")");
        }
        return real;
    }

    /** Strictly below {@code root}: the root itself is no checkpoint. */
    private static boolean inside(Path path, Path root) {
        return path.startsWith(root) && !path.equals(root);
    }
}
