package ai.collectiveagency.trainer.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The trainer's ledger on disk: {@code <trainer.store>/ledger/v<version as %010d>.jsonl}, one
 * file per checkpoint version holding what was settled since the checkpoint before, one JSON
 * object per line:
 *
 * <pre>
 * {"kind":"trained","task_id":T,"group_id":G,"step":S,"version":V}
 * {"kind":"held_out","task_id":T,"group_id":G,"policy_version":P,"version":V}
 * {"kind":"no_signal","task_id":T,"group_id":G,"policy_version":P,"version":V}
 * {"kind":"dead_lettered","task_id":T,"group_id":G_or_null,"reason":R,"version":V}
 * {"kind":"duplicate","task_id":T,"group_id":G,"version":V}
 * </pre>
 *
 * A file is complete once it has its name (written aside, fsync'd, renamed, the folder fsync'd)
 * and is written before its checkpoint folder is renamed into place; a file newer than the
 * checkpoint a trainer resumes from belongs to a write that never finished and is deleted. So
 * the files up to the latest valid checkpoint account for every scored record before its
 * consumed offsets exactly once.
 */
public final class LedgerFiles {

    /** The ledger's folder inside the checkpoint store. */
    public static final String FOLDER = "ledger";

    private static final Pattern FILE = Pattern.compile("v(\\d{10})\\.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerFiles() {
    }

    /** The ledger folder of the checkpoint store {@code store}. */
    public static Path folder(Path store) {
        return store.resolve(FOLDER);
    }

    /** The file of version {@code version}. */
    public static Path file(Path folder, long version) {
        return folder.resolve(String.format("v%010d.jsonl", version));
    }

    /** Every entry of the files of versions up to {@code version}, in version and line order. */
    public static List<LedgerEntry> readUpTo(Path folder, long version) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Path file : files(folder, Comparator.naturalOrder())) {
            if (versionOf(file) <= version) {
                entries.addAll(read(file));
            }
        }
        return entries;
    }

    /** Every entry of every file. */
    public static List<LedgerEntry> readAll(Path folder) {
        return readUpTo(folder, Long.MAX_VALUE);
    }

    /**
     * The newest entry, searching the files newest first, for group {@code groupId} that
     * {@code matches}.
     */
    public static Optional<LedgerEntry> findNewest(Path folder, String groupId,
            Predicate<LedgerEntry> matches) {
        String quoted = "\"" + groupId + "\"";
        for (Path file : files(folder, Comparator.reverseOrder())) {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Optional<LedgerEntry> found = Optional.empty();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    // Parse only the lines that can name the group: most lines do not.
                    if (line.contains(quoted)) {
                        LedgerEntry entry = parse(line, file);
                        if (groupId.equals(entry.groupId()) && matches.test(entry)) {
                            found = Optional.of(entry);
                        }
                    }
                }
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes version {@code version}'s file, durably: aside, fsync'd, renamed into place, the
     * folder fsync'd. An existing file of that version (a write whose checkpoint never landed)
     * is replaced.
     */
    public static void write(Path folder, long version, List<LedgerEntry> entries) {
        Path target = file(folder, version);
        Path aside = folder.resolve("." + target.getFileName() + ".partial");
        StringBuilder text = new StringBuilder();
        for (LedgerEntry entry : entries) {
            text.append(line(entry.in(version))).append('\n');
        }
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString()
                        .getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ledger file " + target, e);
        }
    }

    /** Deletes the files of versions above {@code version} (and half-written ones). */
    public static void deleteAfter(Path folder, long version) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".partial") || FILE.matcher(name).matches()
                        && versionOf(file) > version) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + folder, e);
        }
    }

    static String line(LedgerEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", entry.kind().json());
        node.put("task_id", entry.taskId());
        switch (entry.kind()) {
            case TRAINED -> {
                node.put("group_id", entry.groupId());
                node.put("step", entry.step());
            }
            case HELD_OUT, NO_SIGNAL -> {
                node.put("group_id", entry.groupId());
                node.put("policy_version", entry.policyVersion());
            }
            case DEAD_LETTERED -> {
                node.put("group_id", entry.groupId());
                node.put("reason", entry.reason());
            }
            case DUPLICATE -> node.put("group_id", entry.groupId());
            default -> throw new IllegalStateException(entry.kind().name());
        }
        node.put("version", entry.version());
        return node.toString();
    }

    private static List<LedgerEntry> read(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).map(l -> parse(l, file)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static LedgerEntry parse(String line, Path file) {
        try {
            JsonNode node = JSON.readTree(line);
            return new LedgerEntry(LedgerEntry.Kind.ofJson(node.path("kind").asText()),
                    node.path("task_id").asText(), text(node, "group_id"), number(node, "step"),
                    number(node, "policy_version"), text(node, "reason"),
                    node.path("version").asLong());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("bad ledger line in " + file + ": " + line, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    private static List<Path> files(Path folder, Comparator<Long> order) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(LedgerFiles::versionOf, order)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static long versionOf(Path file) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
