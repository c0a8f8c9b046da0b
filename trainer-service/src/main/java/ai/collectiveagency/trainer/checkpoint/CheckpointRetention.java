package ai.collectiveagency.trainer.checkpoint;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import ai.collectiveagency.trainer.config.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * Prunes a {@link CheckpointDirectory}: keeps the newest {@code keep} version folders (by
 * version, valid or not), every version an unexpired replica lease names as served or loading
 * ({@link CheckpointLeases}), and every pinned version (the {@code trainer.checkpoints.pinned}
 * setting, and the store's {@value #PINNED_FILE} file: one version per line, {@code #} starts a
 * comment, read at each prune so an operator can pin without a restart); deletes the rest.
 *
 * <p>A doomed folder is first renamed to a hidden {@code .v<n>.deleting-<millis>/} in one atomic
 * move, so no reader ever sees a half-deleted version under its name; the leases are then read
 * again and a version that a replica began to load meanwhile is renamed back; only then is the
 * hidden folder deleted. What a crash leaves hidden is deleted by the next prune. Write-ahead
 * folders ({@code .v<n>.partial/}: the version being written), set-aside corrupt ones
 * ({@code .v<n>.corrupt-*}, kept for inspection) and the ledger are never touched. A
 * {@value #PINNED_FILE} file that does not parse stops the prune (logged): a typo must not delete
 * what someone meant to keep.
 *
 * <pre>{@code
 * CheckpointRetention retention = CheckpointRetention.of(config.checkpoints());
 * store.write(version, contents);
 * List<Long> deleted = retention.prune(store);
 * }</pre>
 */
public final class CheckpointRetention {

    /** The store's file of pinned versions. */
    public static final String PINNED_FILE = "PINNED";
    /** Leases that lapsed longer ago than this are removed (their replicas are gone). */
    static final Duration LAPSED_LEASES_KEPT = Duration.ofDays(1);

    private static final System.Logger LOG =
            System.getLogger(CheckpointRetention.class.getName());
    private static final Pattern DELETING = Pattern.compile("\\.v\\d+\\.deleting-\\d+");

    private final int keep;
    private final Set<Long> pinned;
    private final Clock clock;

    /**
     * @param keep how many of the newest versions are kept, at least 1
     * @param pinned versions kept whatever their age
     */
    public CheckpointRetention(int keep, Collection<Long> pinned, Clock clock) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, was " + keep);
        }
        this.keep = keep;
        this.pinned = Set.copyOf(pinned);
        this.clock = clock;
    }

    /** The retention {@code trainer.checkpoints.*} asks for. */
    public static CheckpointRetention of(TrainerConfig.Checkpoints config) {
        return new CheckpointRetention(config.keep(), config.pinned().orElse(List.of()),
                Clock.systemUTC());
    }

    /** Deletes the versions no longer kept; returns them, oldest first. */
    public List<Long> prune(CheckpointDirectory store) {
        Path root = store.root();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try {
            deleteLeftovers(root);
            Optional<Set<Long>> filePins = readPinnedFile(root);
            if (filePins.isEmpty()) {
                return List.of();
            }
            Set<Long> pins = new TreeSet<>(pinned);
            pins.addAll(filePins.get());
            CheckpointLeases leases = CheckpointLeases.of(root);
            Set<Long> leased = leased(leases);
            List<Path> folders = store.versionFolders();
            Map<Long, Path> aside = new LinkedHashMap<>();
            for (Path folder : folders.subList(Math.min(keep, folders.size()), folders.size())) {
                long version = CheckpointDirectory.versionOf(folder);
                if (!pins.contains(version) && !leased.contains(version)) {
                    aside.put(version, setAside(root, folder, version));
                }
            }
            if (!aside.isEmpty()) {
                DurableFiles.directory(root);
                restoreLeasedMeanwhile(leases, aside, folders);
                for (Path folder : aside.values()) {
                    FileUtils.deleteDirectory(folder.toFile());
                }
                LOG.log(System.Logger.Level.INFO, "pruned checkpoint versions "
                        + new TreeSet<>(aside.keySet()) + " from " + root + " (keeping the"
                        + " newest " + keep + ", pinned " + pins + ", leased "
                        + new TreeSet<>(leased) + ")");
            }
            leases.removeLapsedBefore(clock.instant().minus(LAPSED_LEASES_KEPT));
            return List.copyOf(new TreeSet<>(aside.keySet()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints in " + root, e);
        }
    }

    private static Path setAside(Path root, Path folder, long version) throws IOException {
        Path aside = root.resolve(".v" + version + ".deleting-" + System.currentTimeMillis());
        Files.move(folder, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    /** A replica may have leased a doomed version between the first read and the renames. */
    private void restoreLeasedMeanwhile(CheckpointLeases leases, Map<Long, Path> aside,
            List<Path> folders) throws IOException {
        for (long version : leased(leases)) {
            Path hidden = aside.remove(version);
            if (hidden != null) {
                Path folder = folders.stream()
                        .filter(f -> CheckpointDirectory.versionOf(f) == version)
                        .findFirst().orElseThrow();
                Files.move(hidden, folder, StandardCopyOption.ATOMIC_MOVE);
                LOG.log(System.Logger.Level.INFO, "kept checkpoint version " + version
                        + ": a replica leased it while it was being pruned");
            }
        }
    }

    private Set<Long> leased(CheckpointLeases leases) {
        Set<Long> versions = new HashSet<>();
        for (CheckpointLease lease : leases.heldAt(clock.instant())) {
            versions.add(lease.serving());
            if (lease.loading() != null) {
                versions.add(lease.loading());
            }
        }
        return versions;
    }

    private static void deleteLeftovers(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(e -> DELETING.matcher(e.getFileName().toString())
                    .matches()).toList()) {
                LOG.log(System.Logger.Level.INFO, "removing " + p + ", left by an interrupted"
                        + " prune");
                FileUtils.deleteDirectory(p.toFile());
            }
        }
    }

    /** The versions in {@value #PINNED_FILE}; empty when it does not parse (logged). */
    private static Optional<Set<Long>> readPinnedFile(Path root) throws IOException {
        Path file = root.resolve(PINNED_FILE);
        Set<Long> versions = new HashSet<>();
        if (!Files.isRegularFile(file)) {
            return Optional.of(versions);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                versions.add(Long.parseLong(line));
            } catch (NumberFormatException e) {
                LOG.log(System.Logger.Level.WARNING, file + " line " + (i + 1) + ": '" + line
                        + "' is not a version number; nothing is pruned until it is fixed");
                return Optional.empty();
            }
        }
        return Optional.of(versions);
    }
}
