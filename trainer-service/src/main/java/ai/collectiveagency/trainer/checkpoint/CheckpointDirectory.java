package ai.collectiveagency.trainer.checkpoint;

import ai.collectiveagency.policy.checkpoint.CorruptCheckpointException;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The checkpoint store as a directory: version {@code n} lives in {@code v<n>/} (zero-padded).
 * A checkpoint is written into a hidden {@code .v<n>.partial/} folder, its {@code manifest.json}
 * last; every file and folder of it is forced to disk ({@link DurableFiles}), then it is renamed
 * into place and the store's own directory is forced, so a reader (or a trainer restarting after
 * a crash, even a power cut) never sees a half-written one under a version's name; leftovers of
 * a crash are removed before the next write. A version folder that fails its manifest (tampered,
 * or damaged on disk) is skipped by {@link #latestValid()} and, when the trainer comes to write
 * that version again, moved aside to {@code .v<n>.corrupt-<millis>/} (kept for inspection, never
 * read). {@link CheckpointRetention} prunes old versions.
 */
public final class CheckpointDirectory {

    private static final System.Logger LOG = System.getLogger(CheckpointDirectory.class.getName());
    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    private static final Pattern PARTIAL = Pattern.compile("\\.v\\d+\\.partial");

    private final Path root;

    public CheckpointDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where version {@code version} lives. */
    public Path folder(long version) {
        return root.resolve(String.format("v%06d", version));
    }

    /**
     * Writes version {@code version}: {@code contents} fills an empty folder, then the manifest
     * is written over everything in it and the folder is moved into place.
     *
     * @return the published folder
     */
    public Path write(long version, Consumer<Path> contents) {
        Path target = folder(version);
        Path partial = root.resolve(".v" + version + ".partial");
        try {
            Files.createDirectories(root);
            deletePartials();
            if (Files.exists(target)) {
                setAsideCorrupt(target, version);
            }
            contents.accept(partial);
            Files.deleteIfExists(partial.resolve(Sha256Manifest.FILE));
            Sha256Manifest.write(partial);
            DurableFiles.tree(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.directory(root);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    /** Removes every {@code .v<n>.partial/} a crash left behind. */
    private void deletePartials() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(e -> PARTIAL.matcher(e.getFileName().toString())
                    .matches()).toList()) {
                LOG.log(System.Logger.Level.INFO, "removing " + p + ", left by an interrupted "
                        + "checkpoint write");
                FileUtils.deleteDirectory(p.toFile());
            }
        }
    }

    /**
     * A version folder that already exists may only be replaced when it fails its manifest (the
     * trainer resumed from an older one because of it); a valid one is never rewritten.
     */
    private void setAsideCorrupt(Path target, long version) throws IOException {
        try {
            Sha256Manifest.verify(target);
        } catch (CorruptCheckpointException e) {
            Path aside = root.resolve(".v" + version + ".corrupt-" + System.currentTimeMillis());
            LOG.log(System.Logger.Level.WARNING, "moving " + target + " aside to " + aside
                    + " (" + e.getMessage() + ")");
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        throw new IllegalStateException(target + " exists: version " + version
                + " was written before; a checkpoint folder is never rewritten");
    }

    /** The newest version whose folder verifies against its manifest; older ones if it does not. */
    public Optional<Path> latestValid() {
        for (Path folder : versionsNewestFirst()) {
            try {
                Sha256Manifest.verify(folder);
                return Optional.of(folder);
            } catch (CorruptCheckpointException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping checkpoint " + folder + ": "
                        + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Every version folder ({@code v<n>/}, valid or not), newest first. */
    public List<Path> versionFolders() {
        return versionsNewestFirst();
    }

    private List<Path> versionsNewestFirst() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(CheckpointDirectory::versionOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The version a folder of {@link #versionFolders()} holds. */
    public static long versionOf(Path folder) {
        Matcher m = VERSION.matcher(folder.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
