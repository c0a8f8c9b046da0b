package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.api.Completion.Choice;
import ai.collectiveagency.rollout.api.Completion.Logprobs;
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
 * {@code POST /v1/completions}: the prompt string(s) continued by the current policy,
 * {@code n} choices each, with the legacy {@code logprobs} object when asked for. With
 * {@code stream} the answer comes as server-sent events once generation has finished.
 */
@Path("/v1/completions")
public class CompletionResource {

    static final String ENDPOINT = "completions";

    private final GenerationService service;
    private final ApiConfig config;

    CompletionResource(GenerationService service, ApiConfig config) {
        this.service = service;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    public CompletionStage<Response> create(CompletionRequest request) {
        if (request == null) {
            return CompletableFuture.completedFuture(GenerationService.error(
                    ApiException.emptyBody()));
        }
        return service.generate(ENDPOINT, request.model(),
                () -> RequestChecks.completion(request, config.maxChoices()),
                new Rendering(request));
    }

    /** The response or the chunks of one request. */
    private static final class Rendering implements GenerationService.Rendering {

        private final String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        private final long created = Instant.now().getEpochSecond();
        private final boolean logprobs;
        private final boolean top;
        private final boolean tokenIds;
        private final boolean stream;
        private final boolean usageChunk;

        Rendering(CompletionRequest request) {
            logprobs = request.logprobs() != null;
            top = logprobs && request.logprobs() > 0;
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
                choices.add(new Choice(i, c.text(), logprobs ? Logprobs.of(c.pieces(), top) : null,
                        c.finishReason(), tokenIds ? c.tokenIds() : null,
                        tokenIds ? c.promptIds() : null));
            }
            return completion(sampled, choices, sampled.usage());
        }

        @Override
        public List<?> chunks(Sampled sampled) {
            if (!stream) {
                return null;
            }
            List<Completion> chunks = new ArrayList<>();
            for (int i = 0; i < sampled.choices().size(); i++) {
                SampledChoice c = sampled.choices().get(i);
                for (int p = 0; p < c.pieces().size(); p++) {
                    Logprobs one = logprobs ? Logprobs.of(List.of(c.pieces().get(p)), top) : null;
                    chunks.add(completion(sampled, List.of(new Choice(i, c.delta(p), one, null,
                            null, null)), null));
                }
                chunks.add(completion(sampled, List.of(new Choice(i, "", null, c.finishReason(),
                        tokenIds ? c.tokenIds() : null, tokenIds ? c.promptIds() : null)), null));
            }
            if (usageChunk) {
                chunks.add(completion(sampled, List.of(), sampled.usage()));
            }
            return chunks;
        }

        private Completion completion(Sampled sampled, List<Choice> choices, Usage usage) {
            return new Completion(id, "text_completion", created, sampled.modelName(), choices,
                    usage, sampled.policyVersion());
        }
    }
}
