package ai.collectiveagency.demo.samples;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's sample files: {@code samples.jsonl}, the one being written, and the rotated ones
 * before it, {@code samples.1.jsonl} (the newest) to {@code samples.<n>.jsonl} (the oldest).
 * Reads them oldest first; a line that does not parse (the last line of a run killed while it
 * wrote) is skipped and counted.
 */
public final class SampleFiles {

    /** The file being written, in the run folder. */
    public static final String FILE = "samples.jsonl";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SampleFiles() {
    }

    /** The file being written in {@code runFolder}. */
    public static Path current(Path runFolder) {
        return runFolder.resolve(FILE);
    }

    /** The {@code n}th rotated file in {@code runFolder}: 1 is the newest. */
    public static Path rotated(Path runFolder, int n) {
        return runFolder.resolve("samples." + n + ".jsonl");
    }

    /** The sample files in {@code runFolder} that exist, oldest first. */
    public static List<Path> oldestFirst(Path runFolder) {
        List<Path> files = new ArrayList<>();
        int n = 1;
        while (Files.isRegularFile(rotated(runFolder, n))) {
            files.add(0, rotated(runFolder, n));
            n++;
        }
        if (Files.isRegularFile(current(runFolder))) {
            files.add(current(runFolder));
        }
        return files;
    }

    /**
     * Hands every line of the run's sample files to {@code each}, oldest first.
     *
     * @return the lines skipped because they did not parse
     */
    public static long read(Path runFolder, Consumer<SampleLine> each) {
        long skipped = 0;
        for (Path file : oldestFirst(runFolder)) {
            // A reader that replaces a torn UTF-8 sequence rather than failing the whole file.
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    Files.newInputStream(file), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    SampleLine parsed = parse(line);
                    if (parsed == null) {
                        skipped++;
                    } else {
                        each.accept(parsed);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return skipped;
    }

    private static SampleLine parse(String line) {
        try {
            SampleLine parsed = MAPPER.readValue(line, SampleLine.class);
            return parsed.groupId() == null ? null : parsed;
        } catch (JacksonException e) {
            return null;
        }
    }
}
