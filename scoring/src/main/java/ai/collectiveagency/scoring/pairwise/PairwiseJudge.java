package ai.collectiveagency.scoring.pairwise;

import ai.collectiveagency.llm.ChatException;
import ai.collectiveagency.llm.ChatMessage;
import ai.collectiveagency.llm.JsonAnswerSchema;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.scoring.judge.Rubric;
import ai.collectiveagency.schemas.PromptTask;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which of two texts (e.g. resolutions of one task by two policy versions) is better under a
 * {@link Rubric}, asked in both orders as the research does: a win counts only when both orders
 * agree; disagreement is {@link PairwiseOutcome#INCONSISTENT} and is reported, not counted.
 */
public final class PairwiseJudge {

    /** The answer's schema: which text is better, and why. */
    public static final String ANSWER_SCHEMA = "{\"type\": \"object\", \"additionalProperties\": "
            + "false, \"required\": [\"better\", \"rationale\"], \"properties\": {\"better\": "
            + "{\"enum\": [\"text_1\", \"text_2\", \"tie\"]}, \"rationale\": {\"type\": \"string\","
            + " \"maxLength\": 4000}}}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonChat chat;
    private final String system;

    /** @param chat asks the judge; its schema must be {@link #schema()} */
    public PairwiseJudge(JsonChat chat, Rubric rubric) {
        this.chat = chat;
        this.system = template()
                .replace("{judged}", rubric.judged() == null ? "texts" : rubric.judged())
                .replace("{title}", rubric.title() == null ? rubric.id() : rubric.title())
                .replace("{instructions}", rubric.instructions() == null ? ""
                        : rubric.instructions())
                .replace("{dimensions}", rubric.describeDimensions());
    }

    public static JsonAnswerSchema schema() {
        return JsonAnswerSchema.of("pairwise", ANSWER_SCHEMA);
    }

    /** Compares {@code first} and {@code second}, answers to {@code task}, in both orders. */
    public PairwiseOutcome compare(PromptTask task, String first, String second) {
        String forward;
        String backward;
        try {
            forward = ask(task, first, second);
            backward = ask(task, second, first);
        } catch (ChatException e) {
            return PairwiseOutcome.FAILED;
        }
        if (forward.equals("text_1") && backward.equals("text_2")) {
            return PairwiseOutcome.FIRST;
        }
        if (forward.equals("text_2") && backward.equals("text_1")) {
            return PairwiseOutcome.SECOND;
        }
        if (forward.equals("tie") && backward.equals("tie")) {
            return PairwiseOutcome.TIE;
        }
        return PairwiseOutcome.INCONSISTENT;
    }

    private String ask(PromptTask task, String one, String two) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("scenario").put("title", task.getScenario().getTitle())
                .put("description", task.getScenario().getDescription());
        data.putObject("persona_a").put("name", task.getPersonaA().getName())
                .put("role", task.getPersonaA().getRole());
        data.putObject("persona_b").put("name", task.getPersonaB().getName())
                .put("role", task.getPersonaB().getRole());
        data.put("text_1", one).put("text_2", two);
        return chat.ask(List.of(ChatMessage.system(system), ChatMessage.user(data.toString())),
                0.0, 300, task.getSeed()).get("better").asText();
    }

    private static String template() {
        try (InputStream in = PairwiseJudge.class.getResourceAsStream("system-prompt.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
