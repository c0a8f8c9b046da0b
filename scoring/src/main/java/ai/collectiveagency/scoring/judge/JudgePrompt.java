package ai.collectiveagency.scoring.judge;

import ai.collectiveagency.llm.ChatMessage;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The messages that ask a judge to score one text under a {@link Rubric}. The system prompt
 * ({@code system-prompt.txt}) holds the rubric and the answer's JSON Schema; the user message is
 * a JSON object with the scenario, the personas and the text, so the text reaches the judge as
 * quoted data: whatever it says stays inside one JSON string.
 */
public final class JudgePrompt {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String system;

    public JudgePrompt(Rubric rubric) {
        this.system = template()
                .replace("{judged}", rubric.judged() == null ? "a text" : rubric.judged())
                .replace("{title}", rubric.title() == null ? rubric.id() : rubric.title())
                .replace("{instructions}", rubric.instructions() == null ? ""
                        : rubric.instructions())
                .replace("{min}", String.valueOf(rubric.scale().min()))
                .replace("{max}", String.valueOf(rubric.scale().max()))
                .replace("{dimensions}", rubric.describeDimensions())
                .replace("{schema}", rubric.answerSchema());
    }

    /** System prompt and the quoted input. */
    public List<ChatMessage> messages(ScoringInput input) {
        return List.of(ChatMessage.system(system), ChatMessage.user(data(input)));
    }

    /** The user message: the task and the text as one JSON object. */
    static String data(ScoringInput input) {
        PromptTask task = input.task();
        ObjectNode data = JSON.createObjectNode();
        if (task == null) {
            return data.put("text", input.text()).toString();
        }
        data.putObject("scenario")
                .put("title", task.getScenario().getTitle())
                .put("description", task.getScenario().getDescription())
                .put("value_conflict", task.getScenario().getValueConflict());
        data.set("persona_a", persona(task.getPersonaA()));
        data.set("persona_b", persona(task.getPersonaB()));
        data.put("text", input.text());
        return data.toString();
    }

    private static ObjectNode persona(Persona persona) {
        ObjectNode node = JSON.createObjectNode()
                .put("name", persona.getName()).put("role", persona.getRole());
        persona.getValues().forEach(node.putArray("values")::add);
        persona.getGoals().forEach(node.putArray("goals")::add);
        persona.getConstraints().forEach(node.putArray("constraints")::add);
        return node;
    }

    private static String template() {
        try (InputStream in = JudgePrompt.class.getResourceAsStream("system-prompt.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
