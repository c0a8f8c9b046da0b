package ai.collectiveagency.policy.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A checkpoint folder read through its {@link Sha256Manifest}, so that what is loaded is what was
 * published: every file is read once, and the bytes a parser sees are the bytes whose SHA-256
 * and size are checked against the manifest. A file swapped after {@link #open} is caught by the
 * read itself, not by an earlier pass over the disk.
 *
 * <p>{@link #open} reads {@code manifest.json} once, checks the SHA-256 of those bytes (against
 * the announced digest, when given) and parses the entries from the same bytes; every file on
 * disk must be listed and every listed file present with its size. Every file is opened by its
 * real path (symlinks resolved), which must lie inside {@code root}: a symlink that stays inside
 * is followed, one that leaves is refused ({@link ConfinementException}), as is anything but a
 * regular file.
 *
 * <pre>{@code
 * VerifiedFolder folder = VerifiedFolder.open(dir, record.getSha256(), storeRoot);
 * byte[] config = folder.readAll("config.json");          // checked before it is returned
 * Map<String, NDArray> tensors = folder.read("model.safetensors",
 *         (in, size) -> SafetensorsStream.read(in, size, file, header -> names, manager));
 * }</pre>
 */
public final class VerifiedFolder {

    /** The largest manifest read: a checkpoint of many thousand files stays far below. */
    public static final int MAX_MANIFEST_BYTES = 16 << 20;
    /** The largest file {@link #readAll} holds in memory (configs, tokenizers, indexes). */
    public static final long MAX_READ_ALL_BYTES = 256L << 20;

    private final Path folder;
    private final Path root;
    private final String manifestSha256;
    private final Map<String, Sha256Manifest.Entry> files;

    private VerifiedFolder(Path folder, Path root, String manifestSha256,
            Map<String, Sha256Manifest.Entry> files) {
        this.folder = folder;
        this.root = root;
        this.manifestSha256 = manifestSha256;
        this.files = Map.copyOf(files);
    }

    /** Reads a file's bytes as a stream; the stream ends after the manifest's size. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(InputStream in, long size) throws IOException;
    }

    /**
     * A folder pinned by its announced manifest digest.
     *
     * @param manifestSha256 the lower-case hex SHA-256 the folder's manifest must have
     * @param root the tree every file must resolve into (the store root); {@code folder} too
     * @throws ManifestDigestException when the manifest's digest differs
     * @throws CorruptCheckpointException when no manifest, or a file missing, unlisted or of
     *     another size
     * @throws ConfinementException when the folder or a file resolves outside {@code root}
     */
    public static VerifiedFolder open(Path folder, String manifestSha256, Path root) {
        Path realRoot = realPath(root, root);
        Path real = realPath(folder, folder);
        if (!real.startsWith(realRoot)) {
            throw new ConfinementException(folder + ": resolves to " + real + ", outside "
                    + realRoot);
        }
        Path manifest = real.resolve(Sha256Manifest.FILE);
        if (!Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
            throw Sha256Manifest.noManifest(manifest);
        }
        byte[] bytes = readBounded(confined(manifest, realRoot), MAX_MANIFEST_BYTES);
        String digest = Sha256Manifest.sha256(bytes);
        if (manifestSha256 != null && !digest.equals(manifestSha256)) {
            throw new ManifestDigestException(manifest + " has sha256 " + digest
                    + ", the record says " + manifestSha256);
        }
        Map<String, Sha256Manifest.Entry> files = Sha256Manifest.parse(bytes, manifest);
        Sha256Manifest.checkListing(real, files, file -> confined(file, realRoot));
        return new VerifiedFolder(real, realRoot, digest, files);
    }

    /**
     * A folder pinned by its own manifest, confined to itself: for a checkpoint this process
     * trusts as a whole (it wrote it), where only damage since is to be caught.
     */
    public static VerifiedFolder open(Path folder) {
        return open(folder, null, folder);
    }

    /** The folder's real path. */
    public Path path() {
        return folder;
    }

    /** The lower-case hex SHA-256 of the manifest's bytes. */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** The manifest's entries, by relative path. */
    public Map<String, Sha256Manifest.Entry> files() {
        return files;
    }

    /** Whether the manifest lists {@code name}. */
    public boolean has(String name) {
        return files.containsKey(name);
    }

    /**
     * A whole file's bytes, checked against the manifest before they are returned.
     *
     * @throws ModelFolderException when the file is not listed or larger than
     *     {@link #MAX_READ_ALL_BYTES}
     */
    public byte[] readAll(String name) {
        long size = entry(name).size();
        if (size > MAX_READ_ALL_BYTES) {
            throw new ModelFolderException(folder.resolve(name) + ": " + size + " bytes, more"
                    + " than the " + MAX_READ_ALL_BYTES + " read at once");
        }
        return read(name, (in, n) -> in.readAllBytes());
    }

    /**
     * Streams a file through {@code parser} and checks, once the parser is done (the rest of
     * the file is read through the digest), that the bytes were exactly the listed ones. When
     * they were not, the parser's result is closed if it is {@link AutoCloseable} and a
     * {@link CorruptCheckpointException} is thrown, also when the parser failed on them.
     */
    public <T> T read(String name, Parser<T> parser) {
        Sha256Manifest.Entry entry = entry(name);
        Path file = confined(folder.resolve(name), root);
        try (InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            HashingStream in = new HashingStream(raw, entry.size());
            T result;
            try {
                result = parser.parse(in, entry.size());
            } catch (IOException | RuntimeException e) {
                CorruptCheckpointException corrupt = mismatch(file, entry, in, raw);
                if (corrupt != null) { // the parser failed on bytes that are not the listed ones
                    corrupt.addSuppressed(e);
                    throw corrupt;
                }
                throw e instanceof RuntimeException r ? r
                        : new ModelFolderException(file + ": cannot parse (" + e + ")", e);
            }
            CorruptCheckpointException corrupt = mismatch(file, entry, in, raw);
            if (corrupt != null) {
                closeQuietly(result, corrupt);
                throw corrupt;
            }
            return result;
        } catch (IOException e) {
            throw new CorruptCheckpointException(file + ": cannot read (" + e + ")");
        }
    }

    private static void closeQuietly(Object result, Exception failure) {
        if (result instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private Sha256Manifest.Entry entry(String name) {
        Sha256Manifest.Entry entry = files.get(name);
        if (entry == null) {
            throw new ModelFolderException(folder.resolve(name) + ": not listed in "
                    + Sha256Manifest.FILE);
        }
        return entry;
    }

    /**
     * Reads the rest of the file through the digest; null when the bytes read were exactly the
     * listed ones, else what differs.
     */
    private static CorruptCheckpointException mismatch(Path file, Sha256Manifest.Entry entry,
            HashingStream in, InputStream raw) throws IOException {
        in.drain();
        if (in.count() < entry.size()) {
            return Sha256Manifest.sizeDiffers(file, in.count(), entry);
        }
        if (raw.read() >= 0) {
            return new CorruptCheckpointException(file + ": longer than the " + entry.size()
                    + " bytes " + Sha256Manifest.FILE + " says");
        }
        String digest = in.sha256();
        if (!digest.equals(entry.sha256())) {
            return Sha256Manifest.digestDiffers(file, digest, entry);
        }
        return null;
    }

    /** The real path of {@code file}, which must be a regular file inside {@code realRoot}. */
    private static Path confined(Path file, Path realRoot) {
        Path real = realPath(file, file);
        if (!real.startsWith(realRoot)) {
            throw new ConfinementException(file + ": resolves to " + real + ", outside "
                    + realRoot + " (a symlink that leaves it)");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new CorruptCheckpointException(file + ": not a regular file");
        }
        return real;
    }

    private static Path realPath(Path path, Path named) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new CorruptCheckpointException(named + ": cannot resolve (" + e + ")");
        }
    }

    private static byte[] readBounded(Path file, int limit) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new CorruptCheckpointException(file + ": larger than " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new CorruptCheckpointException(file + ": cannot read (" + e + ")");
        }
    }

    /**
     * The file's first {@code limit} bytes, each counted and hashed once: it ends there, and a
     * skip reads through the digest rather than jumping over bytes unhashed.
     */
    private static final class HashingStream extends InputStream {

        private final InputStream in;
        private final long limit;
        private final MessageDigest digest = Sha256Manifest.newDigest();
        private final byte[] one = new byte[1];
        private long count;

        HashingStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long left = limit - count;
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        /** Reads what is left of the file up to the limit, through the digest. */
        void drain() throws IOException {
            skip(limit - count);
        }

        long count() {
            return count;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public void close() {
            // the caller closes the file
        }
    }
}
