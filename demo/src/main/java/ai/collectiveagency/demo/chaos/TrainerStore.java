package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the trainer's checkpoint store says, read from its files as the trainer itself resumes:
 * the newest version folder ({@code v<n>/}) that verifies against its manifest, that
 * checkpoint's {@code trainer-state.json} ({@code version}, {@code consumed_offsets}), and the
 * ledger files {@code ledger/v<n>.jsonl} up to that version (a file of a later version was
 * written by a trainer that died before its checkpoint was in place, and does not count).
 */
final class TrainerStore {

    /** The trainer's state file inside a checkpoint folder. */
    static final String STATE = "trainer-state.json";
    /** The ledger's folder inside the store. */
    static final String LEDGER = "ledger";

    private static final Pattern CHECKPOINT = Pattern.compile("v(\\d+)");
    private static final Pattern LEDGER_FILE = Pattern.compile("v(\\d+)\\.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A checkpoint's version and the next offset to read, by {@code <topic>-<partition>}.
     */
    record Checkpoint(long version, Map<String, Long> consumedOffsets) {
        Checkpoint {
            consumedOffsets = Map.copyOf(consumedOffsets);
        }

        /** The consumed offsets of {@code topic}'s partitions, by partition number. */
        Map<Integer, Long> offsetsOf(String topic) {
            Map<Integer, Long> offsets = new HashMap<>();
            consumedOffsets.forEach((key, offset) -> {
                int dash = key.lastIndexOf('-');
                if (dash > 0 && key.substring(0, dash).equals(topic)) {
                    offsets.put(Integer.parseInt(key.substring(dash + 1)), offset);
                }
            });
            return offsets;
        }
    }

    private final Path root;

    TrainerStore(Path root) {
        this.root = root;
    }

    /** The newest checkpoint that verifies; empty before the first one. */
    Optional<Checkpoint> latestValid() {
        for (Path folder : numbered(root, CHECKPOINT, Files::isDirectory)) {
            try {
                Sha256Manifest.verify(folder);
            } catch (RuntimeException corruptOrIncomplete) {
                continue;  // the trainer skips it too, and resumes from an older one
            }
            JsonNode state = readJson(folder.resolve(STATE));
            Map<String, Long> offsets = new HashMap<>();
            state.path("consumed_offsets").fields().forEachRemaining(
                    e -> offsets.put(e.getKey(), e.getValue().asLong()));
            return Optional.of(new Checkpoint(state.path("version").asLong(), offsets));
        }
        return Optional.empty();
    }

    /** Every ledger entry of the files of versions up to {@code version}. */
    List<LedgerEntry> ledger(long version) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Path file : numbered(root.resolve(LEDGER), LEDGER_FILE, Files::isRegularFile)) {
            if (number(file, LEDGER_FILE) > version) {
                continue;
            }
            try (Stream<String> lines = Files.lines(file)) {
                lines.filter(line -> !line.isBlank())
                        .forEach(line -> entries.add(entry(file, line)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return entries;
    }

    private static LedgerEntry entry(Path file, String line) {
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode group = node.path("group_id");
            return new LedgerEntry(LedgerEntry.Kind.of(node.path("kind").asText()),
                    node.path("task_id").asText(), group.isTextual() ? group.asText() : null,
                    node.path("version").asLong());
        } catch (IOException | IllegalArgumentException e) {
            // Ledger files up to a valid checkpoint were fsync'd whole: a bad line is a bug.
            throw new IllegalStateException(file + ": not a ledger line: " + line, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The entries of {@code folder} whose names match {@code name}, highest number first. */
    private static List<Path> numbered(Path folder, Pattern name,
            Predicate<Path> kind) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(kind).filter(p -> name.matcher(p.getFileName().toString())
                    .matches()).sorted(Comparator.comparingLong(
                            (Path p) -> number(p, name)).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static long number(Path path, Pattern name) {
        Matcher m = name.matcher(path.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(path + " does not match " + name);
        }
        return Long.parseLong(m.group(1));
    }
}
