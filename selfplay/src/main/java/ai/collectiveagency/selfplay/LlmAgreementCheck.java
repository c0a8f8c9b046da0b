package ai.collectiveagency.selfplay;

import ai.collectiveagency.llm.ChatException;
import ai.collectiveagency.llm.ChatMessage;
import ai.collectiveagency.llm.JsonAnswerSchema;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat model over an OpenAI-compatible endpoint as the agreement judge. For each dialogue it
 * asks ({@link JudgePrompts}) for {@code {"agreed": boolean, "reason": string}}
 * ({@code agreement-verdict.schema.json}); the scenario and the turns go in as JSON data, so
 * that what the personas say is quoted material, not instructions to the judge. The judge sees
 * the same window of turns the speakers see (the last k, or all when k is 0).
 *
 * <p>The requests of one batch run concurrently on a small pool (they wait on I/O). A dialogue
 * whose request fails after {@link JsonChat}'s retries counts as not agreed, with the failure in
 * the verdict's evidence; the chat's {@link ai.collectiveagency.llm.ChatStats} counts it.
 *
 * <pre>{@code
 * JsonChat chat = new JsonChat(client, LlmAgreementCheck.schema(), JsonMode.SCHEMA, guard);
 * try (LlmAgreementCheck judge = new LlmAgreementCheck(chat, JudgePrompts.defaults(), 2, 200, 4)) {
 *     SelfPlay selfPlay = SelfPlay.builder()...optAgreementCheck(judge).build();
 * }
 * }</pre>
 */
public final class LlmAgreementCheck implements AgreementCheck, AutoCloseable {

    /** The schema of an answer, next to this class; also sent as {@code response_format}. */
    public static final String SCHEMA_RESOURCE = "agreement-verdict.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonChat chat;
    private final JudgePrompts prompts;
    private final String systemPrompt;
    private final int contextTurns;
    private final int maxTokens;
    private final ExecutorService pool;

    /**
     * @param chat asks the endpoint; its schema must be {@link #schema()}
     * @param contextTurns turns the judge sees (0: all)
     * @param maxTokens the longest answer requested
     * @param parallelism requests of one batch in flight at once
     */
    public LlmAgreementCheck(JsonChat chat, JudgePrompts prompts, int contextTurns,
            int maxTokens, int parallelism) {
        this.chat = Objects.requireNonNull(chat, "chat");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        if (contextTurns < 0 || maxTokens < 1 || parallelism < 1) {
            throw new IllegalArgumentException("need context turns >= 0, max tokens >= 1 and "
                    + "parallelism >= 1, got " + contextTurns + ", " + maxTokens + ", "
                    + parallelism);
        }
        this.systemPrompt = prompts.system().fill(Map.of("schema", chat.schema().text()));
        this.contextTurns = contextTurns;
        this.maxTokens = maxTokens;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallelism, job -> {
            Thread thread = new Thread(job, "agreement-judge-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The JSON Schema an answer must match. */
    public static JsonAnswerSchema schema() {
        return JsonAnswerSchema.fromResource(LlmAgreementCheck.class, SCHEMA_RESOURCE,
                "agreement_verdict");
    }

    public JsonChat chat() {
        return chat;
    }

    @Override
    public List<AgreementVerdict> check(List<Dialogue> dialogues) {
        List<CompletableFuture<AgreementVerdict>> asked = new ArrayList<>(dialogues.size());
        for (Dialogue dialogue : dialogues) {
            asked.add(CompletableFuture.supplyAsync(() -> judge(dialogue), pool));
        }
        return asked.stream().map(CompletableFuture::join).toList();
    }

    private AgreementVerdict judge(Dialogue dialogue) {
        try {
            JsonNode answer = chat.ask(messages(dialogue), 0.0, maxTokens, seed(dialogue));
            return new AgreementVerdict(answer.get("agreed").asBoolean(),
                    "llm: " + answer.get("reason").asText());
        } catch (ChatException e) {
            return new AgreementVerdict(false, "llm judge failed, counted as not agreed: "
                    + e.getMessage());
        }
    }

    /** The judge's conversation about one dialogue. */
    List<ChatMessage> messages(Dialogue dialogue) {
        PromptTask task = dialogue.task();
        Map<String, String> values = TaskText.of(task);
        values.put("scenario_json", scenarioJson(task));
        values.put("dialogue_json", dialogueJson(task, dialogue.lastTurns(contextTurns)));
        return List.of(ChatMessage.system(systemPrompt),
                ChatMessage.user(prompts.question().fill(values)));
    }

    /** Same dialogue, same seed: a server that honours seeds judges it the same way again. */
    private static long seed(Dialogue dialogue) {
        return SequenceSeeds.of(dialogue.task().getSeed(), dialogue.turns().size(), -1);
    }

    private static String scenarioJson(PromptTask task) {
        ObjectNode scenario = JSON.createObjectNode()
                .put("title", task.getScenario().getTitle())
                .put("description", task.getScenario().getDescription());
        scenario.set("persona_a", persona(task.getPersonaA()));
        scenario.set("persona_b", persona(task.getPersonaB()));
        return write(scenario);
    }

    private static String dialogueJson(PromptTask task, List<DialogueTurn> turns) {
        ArrayNode array = JSON.createArrayNode();
        for (DialogueTurn turn : turns) {
            array.addObject().put("speaker", turn.speaker().persona(task).getName())
                    .put("text", turn.text());
        }
        return write(array);
    }

    private static ObjectNode persona(Persona persona) {
        ObjectNode node = JSON.createObjectNode().put("name", persona.getName())
                .put("role", persona.getRole());
        persona.getValues().forEach(node.putArray("values")::add);
        return node;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Stops the request pool; a batch in progress finishes first. */
    @Override
    public void close() {
        pool.shutdown();
    }
}
