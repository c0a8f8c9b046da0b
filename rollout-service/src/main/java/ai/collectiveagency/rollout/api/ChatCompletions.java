package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.api.ChatCompletion.Choice;
import ai.collectiveagency.rollout.api.ChatCompletion.Logprobs;
import ai.collectiveagency.rollout.api.ChatCompletion.Message;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions}: the messages rendered with the model's chat template,
 * {@code n} choices sampled by the current policy. With {@code stream}: server-sent
 * {@code chat.completion.chunk}s, each choice opening with its role, then its text as the
 * tokens are sampled, then its finish reason. With {@code "reasoning": {"mode": "async"}}, one
 * choice by asynchronous reasoning: the writer's text is the message's {@code content}, the
 * thinker's its {@code reasoning_content}; streamed, each chunk's delta carries one or the other,
 * in the order the two streams sample them.
 */
@ApplicationScoped
public class ChatCompletions {

    static final String ENDPOINT = "chat.completions";

    private final GenerationService service;
    private final ObjectMapper mapper;
    private final ApiConfig.Reasoning reasoning;

    ChatCompletions(GenerationService service, ObjectMapper mapper, ApiConfig config) {
        this.service = service;
        this.mapper = mapper;
        this.reasoning = config.reasoning();
    }

    void handle(RoutingContext ctx) {
        ChatCompletionRequest request = JsonBodies.parse(mapper, ctx.body().buffer(),
                ChatCompletionRequest.class);
        String adapter = service.adapterOf(request.model());
        if (request.reasons()) {
            ReasoningJob job = RequestChecks.reasoning(request, service.limits(),
                    reasoning.defaultThinkerTokens(), reasoning.maxThinkerTokens())
                    .withAdapter(adapter);
            service.reason(ctx, job, new ChatRendering(request));
            return;
        }
        GenerationJob job = RequestChecks.chat(request, service.limits()).withAdapter(adapter);
        service.generate(ctx, job, new ChatRendering(request));
    }

    /** The response or the chunks of one request. */
    private static final class ChatRendering implements Rendering {

        private static final String CHUNK = "chat.completion.chunk";

        private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        private final long created = Instant.now().getEpochSecond();
        private final boolean logprobs;
        private final boolean tokenIds;
        private final boolean usageChunk;

        ChatRendering(ChatCompletionRequest request) {
            logprobs = Boolean.TRUE.equals(request.logprobs());
            tokenIds = Boolean.TRUE.equals(request.returnTokenIds());
            usageChunk = request.streamOptions() != null
                    && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        }

        @Override
        public Object body(Sampled sampled) {
            List<Choice> choices = new ArrayList<>();
            for (int i = 0; i < sampled.choices().size(); i++) {
                SampledChoice c = sampled.choices().get(i);
                choices.add(new Choice(i, new Message("assistant", c.text(),
                        c.thoughts() == null ? null : c.thoughts().text()), null,
                        logprobs ? Logprobs.of(c.pieces()) : null, c.finishReason(),
                        tokenIds ? c.tokenIds() : null, tokenIds ? c.promptIds() : null));
            }
            return new ChatCompletion(id, "chat.completion", created, sampled.modelName(),
                    choices, sampled.usage(), sampled.policyVersion());
        }

        @Override
        public List<?> opening(Admission admission) {
            List<ChatCompletion> chunks = new ArrayList<>();
            for (int i = 0; i < admission.promptIds().size(); i++) {
                chunks.add(chunk(admission, new Choice(i, null, new Message("assistant", ""),
                        null, null, null, tokenIds ? admission.promptIds().get(i) : null)));
            }
            return chunks;
        }

        @Override
        public Object chunk(Admission admission, int choice, Delta delta) {
            int[] ids = tokenIds ? delta.tokenIds() : null;
            if (delta.ends()) {
                return chunk(admission, new Choice(choice, null, new Message(null, null), null,
                        delta.finishReason(), ids, null));
            }
            Message carried = delta.reasoning() ? new Message(null, null, delta.text())
                    : new Message(null, delta.text());
            return chunk(admission, new Choice(choice, null, carried,
                    logprobs ? Logprobs.of(delta.pieces()) : null, null, ids, null));
        }

        @Override
        public Object usage(Admission admission, Usage usage) {
            return usageChunk ? new ChatCompletion(id, CHUNK, created, admission.modelName(),
                    List.of(), usage, admission.policyVersion()) : null;
        }

        private ChatCompletion chunk(Admission admission, Choice choice) {
            return new ChatCompletion(id, CHUNK, created, admission.modelName(), List.of(choice),
                    null, admission.policyVersion());
        }
    }
}
