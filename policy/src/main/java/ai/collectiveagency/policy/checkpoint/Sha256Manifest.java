package ai.collectiveagency.policy.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code manifest.json}: the sha256 and size of every other file of a checkpoint folder, so a
 * reader can tell a complete, unaltered checkpoint from a partly written or tampered one.
 *
 * <pre>
 * { "algorithm": "sha256",
 *   "files": { "config.json": { "sha256": "9f86d0...", "size": 651 }, ... } }
 * </pre>
 *
 * <p>Paths are relative to the folder, with {@code /} separators, sorted. Writers write the
 * manifest last, so a checkpoint interrupted while saving has none and fails {@link #verify}.
 */
public final class Sha256Manifest {

    public static final String FILE = "manifest.json";

    /** One file's digest (lower-case hex) and size in bytes. */
    public record Entry(String sha256, long size) {}

    private Sha256Manifest() {}

    /** Hashes every file under {@code folder} and writes {@code folder/manifest.json}. */
    public static Map<String, Entry> write(Path folder) {
        Map<String, Entry> entries = entries(folder, listFiles(folder));
        try {
            Files.write(folder.resolve(FILE), render(entries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
        }
        return entries;
    }

    /** The entries of the files {@code names} (relative to {@code folder}), each hashed once. */
    static Map<String, Entry> entries(Path folder, List<String> names) {
        Map<String, Entry> entries = new TreeMap<>();
        for (String name : names) {
            Path file = folder.resolve(name);
            entries.put(name, new Entry(sha256(file), size(file)));
        }
        return entries;
    }

    /** The bytes of a manifest listing {@code entries}, exactly as {@link #write} writes them. */
    static byte[] render(Map<String, Entry> entries) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("algorithm", "sha256");
        ObjectNode files = root.putObject("files");
        new TreeMap<>(entries).forEach((name, e) -> files.putObject(name)
                .put("sha256", e.sha256()).put("size", e.size()));
        try {
            return mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /**
     * Checks that {@code folder} holds exactly the files its manifest lists, with the same sizes
     * and digests.
     *
     * @throws CorruptCheckpointException naming the first file that is missing, altered or unlisted
     */
    public static void verify(Path folder) {
        Map<String, Entry> listed = read(folder.resolve(FILE));
        checkListing(folder, listed, file -> file);
        listed.forEach((name, entry) -> {
            Path file = folder.resolve(name);
            String digest = sha256(file);
            if (!digest.equals(entry.sha256())) {
                throw digestDiffers(file, digest, entry);
            }
        });
    }

    /**
     * Every listed file present with its listed size, every file on disk listed.
     *
     * @param open the path to read a listed file's size at (e.g. its checked real path)
     * @throws CorruptCheckpointException naming the first file missing, of another size or
     *     unlisted
     */
    static void checkListing(Path folder, Map<String, Entry> listed, UnaryOperator<Path> open) {
        listed.forEach((name, entry) -> {
            Path file = folder.resolve(name);
            if (!Files.exists(file)) {
                throw new CorruptCheckpointException(file + ": missing (listed in " + FILE + ")");
            }
            long size = size(open.apply(file));
            if (size != entry.size()) {
                throw sizeDiffers(file, size, entry);
            }
        });
        for (String name : listFiles(folder)) {
            if (!listed.containsKey(name)) {
                throw new CorruptCheckpointException(folder.resolve(name) + ": not listed in "
                        + FILE);
            }
        }
    }

    static CorruptCheckpointException sizeDiffers(Path file, long size, Entry listed) {
        return new CorruptCheckpointException(file + ": " + size + " bytes, " + FILE + " says "
                + listed.size());
    }

    static CorruptCheckpointException digestDiffers(Path file, String digest, Entry listed) {
        return new CorruptCheckpointException(file + ": sha256 " + digest + " differs from "
                + FILE + "'s " + listed.sha256());
    }

    /** A folder without its manifest: the writer writes it last, so it did not finish. */
    static CorruptCheckpointException noManifest(Path manifest) {
        return new CorruptCheckpointException(manifest + ": missing (the checkpoint was not"
                + " completely written)");
    }

    /**
     * The lower-case hex SHA-256 of {@code folder/manifest.json}'s bytes: one digest that pins
     * every file of the checkpoint through the manifest (what {@code PolicyCheckpoint.sha256}
     * carries). Check it before {@link #verify}, which then checks each file against it.
     *
     * @throws CorruptCheckpointException when the folder has no manifest
     */
    public static String digest(Path folder) {
        Path manifest = folder.resolve(FILE);
        if (!Files.isRegularFile(manifest)) {
            throw noManifest(manifest);
        }
        return sha256(manifest);
    }

    private static Map<String, Entry> read(Path manifest) {
        if (!Files.exists(manifest)) {
            throw noManifest(manifest);
        }
        try {
            return parse(Files.readAllBytes(manifest), manifest);
        } catch (IOException e) {
            throw new CorruptCheckpointException(manifest + ": cannot read (" + e.getMessage()
                    + ")");
        }
    }

    /**
     * The entries of a manifest's bytes.
     *
     * @param manifest where the bytes come from, for messages
     * @throws CorruptCheckpointException when they are not a manifest, or list a path outside
     *     the folder
     */
    static Map<String, Entry> parse(byte[] bytes, Path manifest) {
        JsonNode files;
        try {
            files = new ObjectMapper().readTree(bytes).path("files");
        } catch (IOException e) {
            throw new CorruptCheckpointException(manifest + ": cannot read (" + e.getMessage()
                    + ")");
        }
        if (!files.isObject()) {
            throw new CorruptCheckpointException(manifest + ": has no 'files' object");
        }
        Map<String, Entry> entries = new TreeMap<>();
        files.fields().forEachRemaining(f -> {
            Path relative = Path.of(f.getKey()).normalize();
            if (relative.isAbsolute() || relative.startsWith("..")) {
                throw new CorruptCheckpointException(manifest + ": lists '" + f.getKey()
                        + "', outside the checkpoint folder");
            }
            entries.put(f.getKey(), new Entry(f.getValue().path("sha256").asText(),
                    f.getValue().path("size").asLong(-1)));
        });
        return entries;
    }

    /** Every regular file under {@code folder} but the manifest, as sorted relative paths. */
    static List<String> listFiles(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.equals(FILE))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** A fresh SHA-256 digest. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** Lower-case hex SHA-256 of a file's bytes, read in 1 MiB blocks. */
    public static String sha256(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
