package ai.collectiveagency.demo.samples;

import ai.collectiveagency.schemas.ScoredGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends {@code samples.jsonl} in a run folder: one {@link SampleLine} per scored trajectory,
 * a group's lines written and flushed together, so a killed run leaves whole lines (but for at
 * most a torn last one, which readers skip). Lines are never rewritten: a continued run appends.
 * Past {@code maxBytes} the file is rotated before the next group: it becomes {@code
 * samples.1.jsonl}, older ones shift up to {@code samples.<keep>.jsonl}, the oldest beyond that is
 * deleted, and a fresh {@code samples.jsonl} starts. Thread-safe.
 *
 * <pre>{@code
 * try (SampleLog samples = SampleLog.open(runFolder)) {
 *     samples.append(scoredGroup);
 * }
 * }</pre>
 */
public final class SampleLog implements AutoCloseable {

    /** The size past which the file is rotated, by default: 64 MiB. */
    public static final long MAX_BYTES = 64L << 20;
    /** Rotated files kept, by default. */
    public static final int KEEP = 4;

    private final Path runFolder;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    private SampleLog(Path runFolder, long maxBytes, int keep) {
        this.runFolder = runFolder;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /** The log of {@code runFolder}, rotated past {@link #MAX_BYTES}, keeping {@link #KEEP}. */
    public static SampleLog open(Path runFolder) {
        return open(runFolder, MAX_BYTES, KEEP);
    }

    /**
     * The log of {@code runFolder}, appending to its {@code samples.jsonl}; a torn last line
     * left there by a killed run is ended first, so it stays one line that readers skip.
     */
    public static SampleLog open(Path runFolder, long maxBytes, int keep) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        SampleLog log = new SampleLog(runFolder, maxBytes, keep);
        try {
            Files.createDirectories(runFolder);
            log.openCurrent();
            if (log.size > 0 && !endsWithNewline(SampleFiles.current(runFolder))) {
                log.write(new byte[] {'\n'});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + SampleFiles.current(runFolder), e);
        }
        return log;
    }

    /** Appends {@code scored}'s trajectories, one line each, and flushes them. */
    public synchronized void append(ScoredGroup scored) {
        StringBuilder lines = new StringBuilder();
        try {
            for (SampleLine line : SampleLines.of(scored)) {
                lines.append(SampleFiles.MAPPER.writeValueAsString(line)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a sample line as JSON", e);
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to "
                    + SampleFiles.current(runFolder), e);
        }
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    /** samples.jsonl becomes samples.1.jsonl, n becomes n + 1, the one past keep goes. */
    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(SampleFiles.rotated(runFolder, keep));
        for (int n = keep - 1; n >= 1; n--) {
            Path older = SampleFiles.rotated(runFolder, n);
            if (Files.exists(older)) {
                Files.move(older, SampleFiles.rotated(runFolder, n + 1),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(SampleFiles.current(runFolder), SampleFiles.rotated(runFolder, 1),
                StandardCopyOption.REPLACE_EXISTING);
        openCurrent();
    }

    private void openCurrent() throws IOException {
        Path file = SampleFiles.current(runFolder);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0) == '\n';
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + SampleFiles.current(runFolder), e);
        }
    }
}
