package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.api.ChatCompletion.Choice;
import ai.collectiveagency.rollout.api.ChatCompletion.Logprobs;
import ai.collectiveagency.rollout.api.ChatCompletion.Message;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/chat/completions}: the messages rendered with the model's chat template,
 * {@code n} choices sampled by the current policy. With {@code stream} the answer comes as
 * server-sent events once generation has finished, one chunk per token.
 */
@Path("/v1/chat/completions")
public class ChatCompletionResource {

    static final String ENDPOINT = "chat.completions";

    private final GenerationService service;
    private final ApiConfig config;

    ChatCompletionResource(GenerationService service, ApiConfig config) {
        this.service = service;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    public CompletionStage<Response> create(ChatCompletionRequest request) {
        if (request == null) {
            return CompletableFuture.completedFuture(GenerationService.error(
                    ApiException.emptyBody()));
        }
        return service.generate(ENDPOINT, request.model(),
                () -> RequestChecks.chat(request, config.maxChoices()), new Rendering(request));
    }

    /** The response or the chunks of one request. */
    private static final class Rendering implements GenerationService.Rendering {

        private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        private final long created = Instant.now().getEpochSecond();
        private final boolean logprobs;
        private final boolean tokenIds;
        private final boolean stream;
        private final boolean usageChunk;

        Rendering(ChatCompletionRequest request) {
            logprobs = Boolean.TRUE.equals(request.logprobs());
            tokenIds = Boolean.TRUE.equals(request.returnTokenIds());
            stream = Boolean.TRUE.equals(request.stream());
            usageChunk = request.streamOptions() != null
                    && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        }

        @Override
        public Object body(Sampled sampled) {
            List<Choice> choices = new ArrayList<>();
            for (int i = 0; i < sampled.choices().size(); i++) {
                SampledChoice c = sampled.choices().get(i);
                choices.add(new Choice(i, new Message("assistant", c.text()), null,
                        logprobs ? Logprobs.of(c.pieces()) : null, c.finishReason(),
                        tokenIds ? c.tokenIds() : null, tokenIds ? c.promptIds() : null));
            }
            return completion("chat.completion", sampled, choices, sampled.usage());
        }

        @Override
        public List<?> chunks(Sampled sampled) {
            if (!stream) {
                return null;
            }
            List<ChatCompletion> chunks = new ArrayList<>();
            for (int i = 0; i < sampled.choices().size(); i++) {
                SampledChoice c = sampled.choices().get(i);
                chunks.add(chunk(sampled, new Choice(i, null, new Message("assistant", ""), null,
                        null, tokenIds ? c.tokenIds() : null, tokenIds ? c.promptIds() : null)));
                for (int p = 0; p < c.pieces().size(); p++) {
                    Logprobs one = logprobs ? Logprobs.of(List.of(c.pieces().get(p))) : null;
                    chunks.add(chunk(sampled, new Choice(i, null, new Message(null, c.delta(p)),
                            one, null, null, null)));
                }
                chunks.add(chunk(sampled, new Choice(i, null, new Message(null, null), null,
                        c.finishReason(), null, null)));
            }
            if (usageChunk) {
                chunks.add(completion("chat.completion.chunk", sampled, List.of(),
                        sampled.usage()));
            }
            return chunks;
        }

        private ChatCompletion chunk(Sampled sampled, Choice choice) {
            return completion("chat.completion.chunk", sampled, List.of(choice), null);
        }

        private ChatCompletion completion(String object, Sampled sampled, List<Choice> choices,
                Usage usage) {
            return new ChatCompletion(id, object, created, sampled.modelName(), choices, usage,
                    sampled.policyVersion());
        }
    }
}
