package ai.collectiveagency.policy.tokenizer;

import ai.collectiveagency.policy.fixtures.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Model folders for the tokenizer tests: the fixture cases and hand-made variants of them. */
final class TestFolders {

    static final String QWEN = "qwen2-tiny-random";

    private TestFolders() {}

    /** Every copy of the qwen2-tiny-random fixture (shipped, plus {@code -Dfixtures.dir}). */
    static List<Path> qwenFixtures() {
        return Fixtures.cases(QWEN);
    }

    /**
     * A folder in {@code dir} holding the fixture's {@code tokenizer.json} and the given files
     * (file name to JSON text).
     */
    static Path withFixtureTokenizer(Path dir, Map<String, String> files) {
        try {
            Files.copy(Fixtures.shipped(QWEN).resolve(TextTokenizer.FILE_NAME),
                    dir.resolve(TextTokenizer.FILE_NAME));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's {@code expected.json}. */
    static JsonNode expected(Path folder) {
        try {
            return new ObjectMapper().readTree(Fixtures.read(folder.resolve("expected.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chat template shipped in the test resources ({@code chat-templates/NAME}). */
    static String template(String name) {
        try (var in = TestFolders.class.getResourceAsStream("/chat-templates/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test template " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
