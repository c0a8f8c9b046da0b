package ai.collectiveagency.scoring.judge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A scoring rubric, a data file users edit: what is judged, the scale (0 to 5 by default) and
 * the dimensions, each with a description and anchored scores. The reward is the mean of the
 * dimension scores. Shipped: {@code ca} (Collective Agency: knowledge, benevolence, power,
 * vitality) and {@code conflict-resolution}; a path to a JSON file of the same shape works too.
 */
public record Rubric(String id, String version, String title, String judged,
        String instructions, Scale scale, List<Dimension> dimensions, String aggregate) {

    /** The inclusive range of every dimension's score. */
    public record Scale(int min, int max) {
        public Scale {
            if (min >= max) {
                throw new IllegalArgumentException("scale min must be below max, was " + min
                        + ".." + max);
            }
        }
    }

    /** One thing the judge scores; {@code anchors} describe what some scores mean. */
    public record Dimension(String key, String name, String description,
            Map<String, String> anchors) {
        public Dimension {
            Objects.requireNonNull(key, "dimension key");
            if (!key.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("dimension key must be lower_snake_case, was '"
                        + key + "'");
            }
            Objects.requireNonNull(description, "description of " + key);
            anchors = anchors == null ? Map.of() : Map.copyOf(anchors);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Rubric {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(scale, "scale of rubric " + id);
        if (dimensions == null || dimensions.isEmpty()) {
            throw new IllegalArgumentException("rubric " + id + " has no dimensions");
        }
        dimensions = List.copyOf(dimensions);
        if (dimensions.stream().map(Dimension::key).distinct().count() != dimensions.size()) {
            throw new IllegalArgumentException("rubric " + id + " repeats a dimension key");
        }
        if (aggregate != null && !aggregate.equals("mean")) {
            throw new IllegalArgumentException("rubric " + id + ": aggregate must be 'mean', was '"
                    + aggregate + "'");
        }
        aggregate = "mean";
    }

    /**
     * A shipped rubric by id ({@code ca}, {@code conflict-resolution}) or a JSON file by path.
     *
     * @throws IllegalArgumentException naming the rubric or file and what is wrong with it
     */
    public static Rubric load(String idOrPath) {
        Path file = Path.of(idOrPath);
        if (idOrPath.endsWith(".json") && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read rubric " + file + ": " + e, e);
            }
        }
        try (InputStream in = Rubric.class.getResourceAsStream("/rubrics/" + idOrPath + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no rubric '" + idOrPath + "': shipped are ca "
                        + "and conflict-resolution, or give the path of a .json file");
            }
            return read(in, "rubric " + idOrPath);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read rubric " + idOrPath + ": " + e, e);
        }
    }

    private static Rubric read(InputStream in, String source) throws IOException {
        try {
            return JSON.readValue(in, Rubric.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
        }
    }

    /** The JSON Schema of a judge's answer: an integer per dimension and a short rationale. */
    public String answerSchema() {
        String scores = dimensions.stream().map(d -> "\"" + d.key() + "\": {\"type\": \"integer\", "
                + "\"minimum\": " + scale.min() + ", \"maximum\": " + scale.max() + "}")
                .collect(Collectors.joining(", "));
        String required = dimensions.stream().map(d -> "\"" + d.key() + "\"")
                .collect(Collectors.joining(", "));
        return "{\"type\": \"object\", \"additionalProperties\": false, "
                + "\"required\": [\"scores\", \"rationale\"], \"properties\": {"
                + "\"scores\": {\"type\": \"object\", \"additionalProperties\": false, "
                + "\"required\": [" + required + "], \"properties\": {" + scores + "}}, "
                + "\"rationale\": {\"type\": \"string\", \"maxLength\": 4000}}}";
    }

    /** The dimensions as prompt text: name, key, description and anchors. */
    public String describeDimensions() {
        return dimensions.stream().map(d -> "- " + d.name() + " (\"" + d.key() + "\"): "
                + d.description() + (d.anchors().isEmpty() ? "" : " Anchors: "
                + d.anchors().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(a -> a.getKey() + " = " + a.getValue())
                        .collect(Collectors.joining("; ")) + "."))
                .collect(Collectors.joining("\n"));
    }
}
