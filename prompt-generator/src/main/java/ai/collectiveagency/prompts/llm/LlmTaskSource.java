package ai.collectiveagency.prompts.llm;

import ai.collectiveagency.llm.ChatException;
import ai.collectiveagency.llm.JsonAnswerSchema;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.HeldOutSplit;
import ai.collectiveagency.prompts.combinatorial.Mix;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Tasks written by a chat model over an OpenAI-compatible endpoint. Task {@code i} asks for one
 * scenario and persona pair as JSON ({@code task.schema.json}) on a theme drawn from the seed
 * lists; {@link JsonChat} validates the answer and retries a bad one a bounded number of times.
 * A task whose every attempt failed is dropped: {@link #task(long)} is empty, the reason is logged
 * and counted in the chat's {@link ai.collectiveagency.llm.ChatStats}.
 *
 * <p>Ids are {@code llm-<seed hex>-<i>}; mode and held-out are drawn as the combinatorial source
 * draws them, so a mixed run keeps the configured shares.
 */
public final class LlmTaskSource {

    /** Provenance version; bump it when the prompts or the schema change. */
    public static final String GENERATOR_VERSION = "llm-v1";
    /** The schema of an answer, also sent to the endpoint as {@code response_format}. */
    public static final String SCHEMA_RESOURCE = "task.schema.json";

    private static final System.Logger LOG = System.getLogger(LlmTaskSource.class.getName());

    private final JsonChat chat;
    private final TaskRequest request;
    private final CombinatorialConfig config;
    private final HeldOutSplit heldOut;
    private final double temperature;
    private final int maxTokens;

    /**
     * @param chat asks the endpoint; its schema must be {@link #schema()}
     * @param temperature sampling temperature sent with each request
     * @param maxTokens longest answer requested
     */
    public LlmTaskSource(JsonChat chat, SeedLists lists, CombinatorialConfig config,
            double temperature, int maxTokens) {
        this.chat = Objects.requireNonNull(chat, "chat");
        this.request = new TaskRequest(lists, chat.schema());
        this.config = Objects.requireNonNull(config, "config");
        this.heldOut = new HeldOutSplit(config.heldOutShare());
        this.temperature = temperature;
        this.maxTokens = maxTokens;
    }

    /** The JSON Schema a task answer must match. */
    public static JsonAnswerSchema schema() {
        return JsonAnswerSchema.fromResource(LlmTaskSource.class, SCHEMA_RESOURCE, "prompt_task");
    }

    public JsonChat chat() {
        return chat;
    }

    /** Task {@code index} of the run, or empty when the endpoint gave no valid answer. */
    public Optional<PromptTask> task(long index) {
        long taskSeed = Mix.mix64(config.seed() * 0xc2b2ae3d27d4eb4fL + index);
        SplittableRandom rng = new SplittableRandom(taskSeed);
        String id = "llm-" + Long.toHexString(config.seed()) + "-" + index;
        TaskMode mode = rng.nextDouble() < config.negotiationShare()
                ? TaskMode.NEGOTIATION : TaskMode.SINGLE;
        JsonNode answer;
        try {
            answer = chat.ask(request.messages(rng), temperature, maxTokens, taskSeed);
        } catch (ChatException e) {
            LOG.log(System.Logger.Level.WARNING, "task " + id + " dropped: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(config.createdAt())
                .setMode(mode)
                .setScenario(new Scenario(text(answer, "title"), text(answer, "description"),
                        text(answer, "domain"), text(answer, "value_conflict")))
                .setPersonaA(persona(answer.get("persona_a")))
                .setPersonaB(persona(answer.get("persona_b")))
                .setSeed(taskSeed)
                .setProvenance(new Provenance(ProvenanceSource.LLM, GENERATOR_VERSION,
                        chat.endpoint().model()))
                .setHeldOut(heldOut.isHeldOut(id))
                .setLanguage("en")
                .setTags(List.of("domain:" + text(answer, "domain"),
                        "conflict:" + text(answer, "value_conflict")))
                .build());
    }

    private static Persona persona(JsonNode node) {
        return new Persona(text(node, "name"), text(node, "role"), strings(node, "values"),
                strings(node, "goals"), strings(node, "constraints"));
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asText().strip();
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.get(field).forEach(item -> out.add(item.asText().strip()));
        return out;
    }
}
