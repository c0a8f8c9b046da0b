package ai.collectiveagency.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON Schema (draft 2020-12) an answer must match. The same schema is sent to the endpoint
 * as the {@code response_format} and checked on the answer, because not every server enforces
 * it.
 *
 * <pre>{@code
 * JsonAnswerSchema schema = JsonAnswerSchema.fromResource(MyClass.class, "task.schema.json", "task");
 * JsonNode answer = schema.parse(modelReply);   // throws ChatException on a bad answer
 * }</pre>
 */
public final class JsonAnswerSchema {

    /** An answer wrapped in one Markdown code fence, as many chat models write JSON. */
    private static final Pattern FENCED =
            Pattern.compile("\\A\\s*```(?:json)?\\s*\\n(.*?)\\n\\s*```\\s*\\z", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode schemaNode;
    private final Schema schema;

    private JsonAnswerSchema(String name, JsonNode schemaNode) {
        this.name = Objects.requireNonNull(name, "name");
        this.schemaNode = schemaNode;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schemaNode.toString());
    }

    /** The schema in {@code text}; {@code name} labels it in requests and messages. */
    public static JsonAnswerSchema of(String name, String text) {
        try {
            return new JsonAnswerSchema(name, JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("schema " + name + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The schema in the class-path resource {@code resource} next to {@code owner}. */
    public static JsonAnswerSchema fromResource(Class<?> owner, String resource, String name) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("schema resource " + resource
                        + " not found next to " + owner.getName());
            }
            return new JsonAnswerSchema(name, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /**
     * The answer as JSON that matches the schema. A single Markdown code fence around it is
     * removed; nothing else is: an answer with text before or after the JSON is refused.
     *
     * @throws ChatException {@link ChatFailure#INVALID_JSON} or {@link ChatFailure#SCHEMA_VIOLATION}
     *     with what was wrong
     */
    public JsonNode parse(String answer) {
        Matcher fenced = FENCED.matcher(answer);
        String text = fenced.matches() ? fenced.group(1) : answer;
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ChatException(ChatFailure.INVALID_JSON, e.getOriginalMessage()
                    + " in " + excerpt(answer), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new ChatException(ChatFailure.INVALID_JSON, "empty answer");
        }
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new ChatException(ChatFailure.SCHEMA_VIOLATION, "answer does not match "
                    + name + ": " + errors.stream().limit(5).map(Error::toString)
                            .collect(Collectors.joining("; ")));
        }
        return node;
    }

    /** The {@code response_format} object for a request in {@code mode}; null for PROMPT. */
    public ObjectNode responseFormat(JsonMode mode) {
        return switch (mode) {
            case SCHEMA -> {
                ObjectNode format = JSON.createObjectNode().put("type", "json_schema");
                format.putObject("json_schema").put("name", name).set("schema", schemaNode);
                yield format;
            }
            case OBJECT -> JSON.createObjectNode().put("type", "json_object");
            case PROMPT -> null;
        };
    }

    /** The schema as compact JSON text, for prompts that state the shape. */
    public String text() {
        return schemaNode.toString();
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return "'" + (flat.length() <= 120 ? flat : flat.substring(0, 120) + "...") + "'";
    }
}
