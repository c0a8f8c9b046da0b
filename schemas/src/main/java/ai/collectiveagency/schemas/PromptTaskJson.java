package ai.collectiveagency.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * {@link PromptTask}s as JSON lines, one task per line in Avro's JSON encoding: the schema's
 * field names, enums as their symbols, {@code created_at} in epoch milliseconds, and a non-null
 * union value wrapped in its type ({@code "model": {"string": "..."}}).
 *
 * <p>What {@code ./pipeline prompts} prints and what the evaluation-service reads its
 * evaluation sets from. A line is written with the current schema; a line written with any
 * released version ({@link SchemaHistory}) is read into the current class, the fields it lacks
 * taking their defaults, so a set written today stays readable after the schema grows.
 *
 * <pre>{@code
 * String line = PromptTaskJson.line(task);
 * PromptTask same = PromptTaskJson.parse(line);
 * List<PromptTask> set = PromptTaskJson.read(Path.of("negotiation-v1.jsonl"));
 * }</pre>
 */
public final class PromptTaskJson {

  private static final SpecificDatumWriter<PromptTask> WRITER =
      new SpecificDatumWriter<>(PromptTask.class);
  /** The released versions, newest first: most lines are of the newest. */
  private static final List<Schema> WRITER_SCHEMAS =
      reversed(SchemaHistory.versions(PromptTask.class.getSimpleName()));

  private PromptTaskJson() {}

  /** The task as one line of JSON, without the line break. */
  public static String line(PromptTask task) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(PromptTask.getClassSchema(), bytes);
      WRITER.write(task, encoder);
      encoder.flush();
      return bytes.toString(StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The task one line holds: a line written by {@link #line(PromptTask)} or by an older release.
   *
   * @throws IllegalArgumentException when no released version of the schema reads the line
   */
  public static PromptTask parse(String line) {
    String firstFailure = null;
    for (Schema writer : WRITER_SCHEMAS) {
      try {
        return new SpecificDatumReader<PromptTask>(writer, PromptTask.getClassSchema())
            .read(null, DecoderFactory.get().jsonDecoder(writer, line));
      } catch (IOException | AvroRuntimeException e) {
        // A line of another version fails here (a field it lacks, one it has in addition).
        if (firstFailure == null) {
          firstFailure = e.getMessage();
        }
      }
    }
    throw new IllegalArgumentException("not a PromptTask in Avro's JSON encoding (as the"
        + " current schema reads it: " + firstFailure + ")");
  }

  /**
   * Every task of a JSON-lines file, in order; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the file and line when a line holds no task
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<PromptTask> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<PromptTask> tasks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        tasks.add(parse(lines.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(tasks);
  }

  private static List<Schema> reversed(List<Schema> oldestFirst) {
    List<Schema> newestFirst = new ArrayList<>(oldestFirst);
    Collections.reverse(newestFirst);
    return List.copyOf(newestFirst);
  }
}
