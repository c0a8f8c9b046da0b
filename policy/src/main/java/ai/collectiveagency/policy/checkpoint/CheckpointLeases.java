package ai.collectiveagency.policy.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@value #FOLDER}/ folder of a checkpoint store, where each rollout replica keeps its
 * {@link CheckpointLease} as {@code <replica>.json}. A lease is written to a hidden temporary
 * file and renamed over the old one, so a reader never sees half of it. Replicas write (and
 * remove their own on a clean stop); the trainer reads before it prunes, and removes leases
 * that lapsed long ago.
 */
public final class CheckpointLeases {

    /** The folder's name under the store root; hidden, so no version listing sees it. */
    public static final String FOLDER = ".leases";

    private static final System.Logger LOG = System.getLogger(CheckpointLeases.class.getName());
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    private CheckpointLeases(Path folder) {
        this.folder = folder;
    }

    /** The leases of the store under {@code storeRoot}. */
    public static CheckpointLeases of(Path storeRoot) {
        return new CheckpointLeases(storeRoot.resolve(FOLDER));
    }

    public Path folder() {
        return folder;
    }

    /** Writes (or renews) {@code lease}, replacing the replica's previous one in one rename. */
    public void write(CheckpointLease lease) throws IOException {
        Files.createDirectories(folder);
        Path target = file(lease.replica());
        Path draft = folder.resolve("." + lease.replica() + SUFFIX + ".tmp");
        Files.write(draft, JSON.writeValueAsBytes(toJson(lease)));
        Files.move(draft, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes {@code replica}'s lease, if it has one. */
    public void remove(String replica) throws IOException {
        Files.deleteIfExists(file(replica));
    }

    /**
     * Every lease on file. One that does not parse is skipped with a warning: leases are
     * replaced by a rename, so a damaged one is no replica's current claim.
     */
    public List<CheckpointLease> all() {
        List<CheckpointLease> leases = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return leases;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(CheckpointLeases::isLease).sorted().toList()) {
                try {
                    leases.add(fromJson(JSON.readTree(file.toFile())));
                } catch (NoSuchFileException e) {
                    // removed by its replica's clean stop while we listed
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring lease " + file
                            + ", which does not read as a lease: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        return leases;
    }

    /** The leases that still hold at {@code now}. */
    public List<CheckpointLease> heldAt(Instant now) {
        return all().stream().filter(l -> l.heldAt(now)).toList();
    }

    /**
     * Removes the leases that lapsed before {@code before} (replicas gone without a clean stop,
     * e.g. pods with generated names), so the folder does not grow with every replica ever run.
     *
     * @return the replicas whose leases were removed
     */
    public List<String> removeLapsedBefore(Instant before) throws IOException {
        List<String> removed = new ArrayList<>();
        for (CheckpointLease lease : all()) {
            if (!lease.expiresAt().isAfter(before)) {
                remove(lease.replica());
                removed.add(lease.replica());
            }
        }
        return removed;
    }

    private static ObjectNode toJson(CheckpointLease lease) {
        ObjectNode json = JSON.createObjectNode();
        json.put("replica", lease.replica());
        json.put("serving", lease.serving());
        if (lease.loading() == null) {
            json.putNull("loading");
        } else {
            json.put("loading", lease.loading());
        }
        json.put("expires_at", lease.expiresAt().toString());
        return json;
    }

    /** @throws IllegalArgumentException (or a parse error) when a field is missing or wrong */
    private static CheckpointLease fromJson(JsonNode json) {
        JsonNode serving = json.path("serving");
        JsonNode loading = json.path("loading");
        boolean noLoading = loading.isNull() || loading.isMissingNode();
        if (!serving.canConvertToLong() || !(noLoading || loading.canConvertToLong())
                || !json.path("replica").isTextual() || !json.path("expires_at").isTextual()) {
            throw new IllegalArgumentException("needs replica, serving, loading and expires_at");
        }
        try {
            return new CheckpointLease(json.get("replica").asText(), serving.asLong(),
                    loading.canConvertToLong() ? loading.asLong() : null,
                    Instant.parse(json.get("expires_at").asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expires_at: " + e.getMessage(), e);
        }
    }

    private Path file(String replica) {
        return folder.resolve(replica + SUFFIX);
    }

    private static boolean isLease(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(file);
    }
}
