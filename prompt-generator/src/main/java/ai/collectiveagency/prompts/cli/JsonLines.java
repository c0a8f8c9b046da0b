package ai.collectiveagency.prompts.cli;

import ai.collectiveagency.schemas.PromptTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * One {@link PromptTask} per line in Avro's JSON encoding: the schema's field names, enums as
 * their symbols, {@code created_at} in epoch milliseconds, and a non-null union value wrapped
 * in its type ({@code "model": {"string": "..."}}).
 */
public final class JsonLines {

    private static final SpecificDatumWriter<PromptTask> WRITER =
            new SpecificDatumWriter<>(PromptTask.class);

    private JsonLines() {
    }

    /** The task as one line of JSON, without the line break. */
    public static String line(PromptTask task) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            JsonEncoder encoder =
                    EncoderFactory.get().jsonEncoder(PromptTask.getClassSchema(), bytes);
            WRITER.write(task, encoder);
            encoder.flush();
            return bytes.toString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The task a line written by {@link #line(PromptTask)} holds. */
    public static PromptTask parse(String line) {
        try {
            SpecificDatumReader<PromptTask> reader = new SpecificDatumReader<>(PromptTask.class);
            return reader.read(null,
                    DecoderFactory.get().jsonDecoder(PromptTask.getClassSchema(), line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
