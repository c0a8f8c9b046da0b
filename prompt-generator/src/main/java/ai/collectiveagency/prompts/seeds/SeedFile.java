package ai.collectiveagency.prompts.seeds;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one seed file: UTF-8 text, one entry per line, fields separated by {@code |}, list items
 * inside a field by {@code ;}; blank lines and lines starting with {@code #} are skipped.
 * A malformed entry raises a {@link SeedFileException} naming the file and the line.
 */
final class SeedFile {

    private final String name;
    private final List<String> lines;

    private SeedFile(String name, List<String> lines) {
        this.name = name;
        this.lines = lines;
    }

    static SeedFile read(String name, Reader reader) {
        try (BufferedReader in = new BufferedReader(reader)) {
            return new SeedFile(name, in.lines().toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SeedFileException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Each entry parsed by {@code parser} from its {@code fields}-many {@code |}-fields. */
    <T> List<T> entries(int fields, Function<List<String>, T> parser) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> parts = Arrays.stream(line.split("\\|", -1)).map(String::strip).toList();
            if (parts.size() != fields || parts.stream().anyMatch(String::isEmpty)) {
                throw new SeedFileException(name, i + 1, "expected " + fields
                        + " non-empty field(s) separated by '|' but found: " + line);
            }
            try {
                out.add(parser.apply(parts));
            } catch (IllegalArgumentException e) {
                throw new SeedFileException(name, i + 1, e.getMessage());
            }
        }
        return out;
    }

    /** The {@code ;}-separated items of a field, each stripped; empty items are refused. */
    static List<String> items(String field) {
        List<String> items = Arrays.stream(field.split(";", -1)).map(String::strip).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("empty item in the ';'-separated list: " + field);
        }
        return items;
    }
}
