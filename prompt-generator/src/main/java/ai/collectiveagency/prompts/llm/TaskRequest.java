package ai.collectiveagency.prompts.llm;

import ai.collectiveagency.llm.ChatMessage;
import ai.collectiveagency.llm.JsonAnswerSchema;
import ai.collectiveagency.prompts.seeds.Archetype;
import ai.collectiveagency.prompts.seeds.ScenarioTemplate;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.ValueConflict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The chat messages that ask a model for one task. The system prompt
 * ({@code system-prompt.txt}) states the job and the JSON Schema; the user prompt
 * ({@code user-prompt.txt}, the placeholders of {@link ScenarioTemplate}) names a theme drawn
 * from the seed lists, so that a run's answers spread over the lists' domains and conflicts
 * instead of collapsing onto the model's favourite dilemma.
 */
public final class TaskRequest {

    private final SeedLists lists;
    private final String systemPrompt;
    private final ScenarioTemplate userPrompt;

    public TaskRequest(SeedLists lists, JsonAnswerSchema schema) {
        this.lists = lists;
        this.systemPrompt = resource("system-prompt.txt").replace("{schema}", schema.text());
        this.userPrompt = new ScenarioTemplate(resource("user-prompt.txt"));
    }

    /** The messages for a task whose theme is drawn with {@code rng}. */
    public List<ChatMessage> messages(SplittableRandom rng) {
        ValueConflict conflict = pick(lists.conflicts(), rng);
        boolean flip = rng.nextBoolean();
        Archetype roleA = pick(lists.archetypes(), rng);
        Archetype roleB = pick(lists.archetypes(), rng);
        String user = userPrompt.fill(Map.of(
                "domain", pick(lists.domains(), rng),
                "place", pick(lists.places(), rng),
                "valueA", flip ? conflict.right() : conflict.left(),
                "valueB", flip ? conflict.left() : conflict.right(),
                "roleA", roleA.role(),
                "roleB", roleB.role(),
                "constraint", pick(lists.constraints(), rng)));
        return List.of(ChatMessage.system(systemPrompt), ChatMessage.user(user));
    }

    private static <T> T pick(List<T> list, SplittableRandom rng) {
        return list.get(rng.nextInt(list.size()));
    }

    private static String resource(String name) {
        try (InputStream in = TaskRequest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing next to "
                        + TaskRequest.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
