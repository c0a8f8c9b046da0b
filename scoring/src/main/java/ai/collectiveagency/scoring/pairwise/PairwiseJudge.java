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
 * {@link Rubric}, asked of an LLM in both orders as the research does ({@link
 * PairwiseComparison#outcome()}: a win only when both orders agree). The rubric prompt is a data
 * file; the texts travel as JSON data the prompt tells the judge never to obey.
 */
public final class PairwiseJudge implements PairJudge {

    /** The answer's schema: which text is better, and why. */
    public static final String ANSWER_SCHEMA = "{\"type\": \"object\", \"additionalProperties\": "
            + "false, \"required\": [\"better\", \"rationale\"], \"properties\": {\"better\": "
            + "{\"enum\": [\"text_1\", \"text_2\", \"tie\"]}, \"rationale\": {\"type\": \"string\","
            + " \"maxLength\": 4000}}}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonChat chat;
    private final String id;
    private final String system;

    /**
     * @param chat asks the judge; its schema must be {@link #schema()}
     * @param model the judge's model name, for {@link #id()}
     */
    public PairwiseJudge(JsonChat chat, String model, Rubric rubric) {
        this.chat = chat;
        this.id = "llm:" + model + "/" + rubric.id();
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

    @Override
    public String id() {
        return id;
    }

    /** Each pair asked twice, the candidate's text first and then the baseline's. */
    @Override
    public List<PairwiseComparison> compare(List<PairToJudge> pairs) {
        return pairs.stream().map(this::compare).toList();
    }

    /** One pair in both orders; an unanswered order makes it failed, with the reason. */
    public PairwiseComparison compare(PairToJudge pair) {
        try {
            Preferred candidateFirst = preferred(ask(pair.task(), pair.candidate(),
                    pair.baseline()), Preferred.CANDIDATE, Preferred.BASELINE);
            Preferred baselineFirst = preferred(ask(pair.task(), pair.baseline(),
                    pair.candidate()), Preferred.BASELINE, Preferred.CANDIDATE);
            return PairwiseComparison.of(candidateFirst, baselineFirst);
        } catch (ChatException e) {
            return PairwiseComparison.failed(e.getMessage());
        }
    }

    private static Preferred preferred(String better, Preferred shownFirst,
            Preferred shownSecond) {
        return switch (better) {
            case "text_1" -> shownFirst;
            case "text_2" -> shownSecond;
            default -> Preferred.TIE;
        };
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
