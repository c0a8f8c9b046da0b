package ai.collectiveagency.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonAnswerSchemaTest {

    static final JsonAnswerSchema SCHEMA = JsonChatTest.VERDICT;

    @Test
    void aSingleMarkdownFenceAroundTheJsonIsAccepted() {
        String fenced = "```json\n{\"score\": 3, \"reason\": \"ok\"}\n```";

        assertThat(SCHEMA.parse(fenced).get("score").asInt()).isEqualTo(3);
    }

    @Test
    void textAroundTheJsonIsRefused() {
        assertThatThrownBy(() -> SCHEMA.parse("Verdict: {\"score\": 3, \"reason\": \"ok\"}"))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.failure()).isEqualTo(ChatFailure.INVALID_JSON));
    }

    @Test
    void aMissingFieldAndAnExtraFieldAreSchemaViolations() {
        assertThatThrownBy(() -> SCHEMA.parse("{\"score\": 3}"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.SCHEMA_VIOLATION))
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> SCHEMA.parse("{\"score\": 3, \"reason\": \"r\", \"x\": 1}"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.SCHEMA_VIOLATION));
    }

    @Test
    void responseFormatCarriesTheSchemaOrAsksForAnyJsonOrNothing() {
        assertThat(SCHEMA.responseFormat(JsonMode.SCHEMA).at("/json_schema/name").asText())
                .isEqualTo("verdict");
        assertThat(SCHEMA.responseFormat(JsonMode.OBJECT).get("type").asText())
                .isEqualTo("json_object");
        assertThat(SCHEMA.responseFormat(JsonMode.PROMPT)).isNull();
    }
}
