package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.MarkdownDocs.Line;
import ai.collectiveagency.kafka.MarkdownDocs.Table;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The markdown holds to the topic catalogue ({@link MarkdownDocs}: README.md, docs/*.md, each
 * module's README.md): a name under the default prefix is a catalogue name, and a table of
 * topics with their partitions gives the catalogue's partitions, cleanup and retention, and
 * largest record. Each failure names the file and line.
 */
class TopicNamesInDocsTest {

    private static final MarkdownDocs DOCS = new MarkdownDocs(
            Path.of("..").toAbsolutePath().normalize());
    private static final TopicCatalogue CATALOGUE = TopicCatalogue.defaults();
    private static final Map<String, TopicSpec> BY_NAME = CATALOGUE.all().stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));
    /** A full name: letters, '.' and '-' (fleet-control); a '-' only between letters. */
    private static final Pattern NAME = Pattern.compile(
            Pattern.quote(TopicCatalogue.DEFAULT_PREFIX) + "[a-z]+(?:[.-][a-z]+)*\\.*");
    /** A topic in a table cell, with the partitions a cell may give after it: `name` (3). */
    private static final Pattern TOPIC_CELL = Pattern.compile(
            "`(" + NAME.pattern() + ")`(?:\\s*\\((\\d+)\\))?");
    /** The row that stands for every dead-letter topic. */
    private static final String EVERY_DLQ = "`<topic>" + LogicalTopic.DLQ_SUFFIX + "`";
    /** The largest record of a dead-letter topic, in that row: its data topic's. */
    private static final String AS_ITS_TOPIC = "as `<topic>`";
    private static final String PARTITIONS = "partitions";
    private static final String KEPT = "kept";
    private static final String LARGEST = "largest record";

    @Test
    void everyTopicNameInTheDocsIsACatalogueName() {
        List<String> unknown = new ArrayList<>();
        for (Line line : DOCS.lines()) {
            Matcher name = NAME.matcher(line.text());
            while (name.find()) {
                // A sentence may end on a name: "... written to alignment.prompts."
                // ... or be a schema registry's subject: alignment.metrics-value.
                String found = name.group().replaceFirst("\\.+$", "")
                        .replaceFirst("-(key|value)$", "");
                if (!BY_NAME.containsKey(found)) {
                    unknown.add(line.where() + ": " + found);
                }
            }
        }

        assertThat(unknown).as("names that are not in the catalogue, %s",
                new TreeSet<>(BY_NAME.keySet())).isEmpty();
    }

    @Test
    void everyTopicTableGivesTheCataloguesPartitionsRetentionAndLargestRecord() {
        List<Table> tables = DOCS.tables().stream()
                .filter(t -> column(t, "topic") >= 0 && t.header().text().contains(PARTITIONS))
                .toList();
        List<String> drift = new ArrayList<>();
        tables.forEach(table -> drift.addAll(drift(table)));

        assertThat(tables).extracting(t -> t.header().file().toString())
                .as("files with a table of topics and partitions").contains("README.md");
        assertThat(drift).as("what the docs' topic tables say against the catalogue").isEmpty();
    }

    /**
     * The rows of {@code table} against the catalogue. Its topic column names topics (with
     * {@code (partitions)} after each where the header says so) or every dead-letter topic at
     * once; a table with a column of partitions lists every topic.
     */
    private static List<String> drift(Table table) {
        List<String> drift = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (Line row : table.rows()) {
            List<String> cells = MarkdownDocs.cells(row.text());
            String topics = cells.get(column(table, "topic"));
            if (topics.contains(EVERY_DLQ)) {
                listed.add(EVERY_DLQ);
                for (LogicalTopic topic : LogicalTopic.values()) {
                    drift.addAll(drift(table, row, CATALOGUE.dlqSpec(topic), null,
                            CATALOGUE.spec(topic)));
                }
            }
            Matcher named = TOPIC_CELL.matcher(topics);
            while (named.find()) {
                TopicSpec spec = BY_NAME.get(named.group(1));
                if (spec == null) {
                    drift.add(row.where() + ": " + named.group(1) + " is not in the catalogue");
                } else {
                    listed.add(spec.name());
                    drift.addAll(drift(table, row, spec, named.group(2), null));
                }
            }
        }
        if (table.headerCells().contains(PARTITIONS)) {
            Set<String> missing = new TreeSet<>();
            for (LogicalTopic topic : LogicalTopic.values()) {
                missing.add(CATALOGUE.name(topic));
            }
            missing.add(EVERY_DLQ);
            missing.removeAll(listed);
            if (!missing.isEmpty()) {
                drift.add(table.header().where() + ": the table leaves out " + missing);
            }
        }
        return drift;
    }

    /**
     * One topic of {@code row}: {@code partitionsAfterName} the partitions its cell gives after
     * the name, if any; {@code dataTopic} the data topic of a dead-letter row, else null.
     */
    private static List<String> drift(Table table, Line row, TopicSpec spec,
            String partitionsAfterName, TopicSpec dataTopic) {
        List<String> cells = MarkdownDocs.cells(row.text());
        String partitions = partitionsAfterName != null ? partitionsAfterName
                : cell(table, cells, PARTITIONS);
        String kept = cell(table, cells, KEPT);
        String largest = cell(table, cells, LARGEST);
        String largestExpected = dataTopic != null
                && dataTopic.maxMessageBytes() == spec.maxMessageBytes()
                ? AS_ITS_TOPIC : size(spec.maxMessageBytes());
        List<String> drift = new ArrayList<>();
        String where = row.where() + ": " + spec.name() + ": ";
        if (partitions != null && !partitions.equals(String.valueOf(spec.partitions()))) {
            drift.add(where + PARTITIONS + " " + partitions + ", the catalogue's "
                    + spec.partitions());
        }
        if (kept != null && !kept.equals(kept(spec))) {
            drift.add(where + KEPT + " '" + kept + "', the catalogue's '" + kept(spec) + "'");
        }
        if (largest != null && !largest.equals(largestExpected)) {
            drift.add(where + LARGEST + " '" + largest + "', the catalogue's '"
                    + largestExpected + "'");
        }
        return drift;
    }

    /** The index of the first header cell that contains {@code name}, or -1. */
    private static int column(Table table, String name) {
        List<String> header = table.headerCells();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).contains(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The cell of {@code row} under the header that is exactly {@code name}, or null. */
    private static String cell(Table table, List<String> row, String name) {
        int index = table.headerCells().indexOf(name);
        return index < 0 || index >= row.size() ? null : row.get(index);
    }

    /** Cleanup and retention as the docs write them: "7 days", "compacted, for ever". */
    private static String kept(TopicSpec spec) {
        Duration retention = Duration.ofMillis(spec.retentionMs());
        String kept = spec.retentionMs() < 0 ? "for ever"
                : retention.toDays() + (retention.toDays() == 1 ? " day" : " days");
        return spec.compacted() ? "compacted, " + kept : kept;
    }

    /** A size as the docs write it: "256 KiB", "16 MiB". */
    private static String size(int bytes) {
        int mebibyte = 1024 * 1024;
        return bytes % mebibyte == 0 ? bytes / mebibyte + " MiB" : bytes / 1024 + " KiB";
    }
}
