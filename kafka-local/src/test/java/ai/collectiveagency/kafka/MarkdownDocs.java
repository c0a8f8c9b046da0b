package ai.collectiveagency.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The project's markdown as a test reads it, line by line and table by table: README.md,
 * docs/*.md and each module's README.md.
 */
final class MarkdownDocs {

    /** One line; {@code file} relative to the project root, {@code number} from 1. */
    record Line(Path file, int number, String text) {

        /** {@code file:line}, as a failure names it. */
        String where() {
            return file + ":" + number;
        }
    }

    /** A table: its header row and the rows under the {@code |---|} line. */
    record Table(Line header, List<Line> rows) {

        List<String> headerCells() {
            return cells(header.text());
        }
    }

    private final Path root;

    MarkdownDocs(Path root) {
        this.root = root;
    }

    List<Line> lines() {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        files.addAll(list(root.resolve("docs"), p -> p.toString().endsWith(".md")));
        list(root, Files::isDirectory).stream().map(d -> d.resolve("README.md"))
                .filter(Files::isRegularFile).forEach(files::add);
        List<Line> lines = new ArrayList<>();
        for (Path file : files) {
            Path relative = root.relativize(root.resolve(file));
            try {
                List<String> text = Files.readAllLines(root.resolve(file));
                for (int i = 0; i < text.size(); i++) {
                    lines.add(new Line(relative, i + 1, text.get(i)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** Every table: consecutive lines of one file that start with {@code |}. */
    List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        List<Line> table = new ArrayList<>();
        for (Line line : lines()) {
            boolean row = line.text().startsWith("|");
            if (!table.isEmpty() && (!row || !line.file().equals(table.get(0).file()))) {
                tables.add(table(table));
                table = new ArrayList<>();
            }
            if (row) {
                table.add(line);
            }
        }
        if (!table.isEmpty()) {
            tables.add(table(table));
        }
        return tables;
    }

    /** The cells of a table row, stripped; an escaped {@code \|} stays inside its cell. */
    static List<String> cells(String row) {
        String inner = row.strip().replaceFirst("^\\|", "").replaceFirst("\\|$", "");
        return Arrays.stream(inner.split("(?<!\\\\)\\|")).map(String::strip).toList();
    }

    private static Table table(List<Line> lines) {
        return new Table(lines.get(0), lines.subList(Math.min(2, lines.size()), lines.size()));
    }

    private static List<Path> list(Path folder, Predicate<Path> keep) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
