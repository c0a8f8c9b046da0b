package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/** Small readers for fixture JSON. */
final class Json {

    private Json() {}

    /** The {@code expected.json} of a fixture folder. */
    static JsonNode expected(Path fixture) throws IOException {
        return new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /**
     * Asserts that {@code actual}, rows of {@code width} values back to back, matches the rows of
     * {@code expected} (a JSON array of arrays) within {@code tolerance}, naming row and column.
     */
    static void assertRowsClose(float[] actual, int width, JsonNode expected, float tolerance) {
        for (int row = 0; row < expected.size(); row++) {
            float[] reference = floats(expected.get(row));
            for (int col = 0; col < width; col++) {
                assertThat(actual[row * width + col]).as("row %d column %d", row, col)
                        .isCloseTo(reference[col], within(tolerance));
            }
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
