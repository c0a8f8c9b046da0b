package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.api.Completion.Choice;
import ai.collectiveagency.rollout.api.Completion.Logprobs;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/completions}: the prompt string(s) continued by the current policy,
 * {@code n} choices each, with the legacy {@code logprobs} object when asked for. With
 * {@code stream}: server-sent {@code text_completion} chunks, each choice's text as the tokens
 * are sampled, then its finish reason.
 */
@ApplicationScoped
public class Completions {

    static final String ENDPOINT = "completions";

    private final GenerationService service;
    private final ObjectMapper mapper;

    Completions(GenerationService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    void handle(RoutingContext ctx) {
        CompletionRequest request = JsonBodies.parse(mapper, ctx.body().buffer(),
                CompletionRequest.class);
        String adapter = service.adapterOf(request.model());
        GenerationJob job = RequestChecks.completion(request, service.limits())
                .withAdapter(adapter);
        service.generate(ctx, job, new CompletionRendering(request));
    }

    /** The response or the chunks of one request. */
    private static final class CompletionRendering implements Rendering {

        private final String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        private final long created = Instant.now().getEpochSecond();
        private final boolean logprobs;
        private final boolean top;
        private final boolean tokenIds;
        private final boolean asIds;
        private final boolean usageChunk;

        CompletionRendering(CompletionRequest request) {
            logprobs = request.logprobs() != null;
            top = logprobs && request.logprobs() > 0;
            tokenIds = Boolean.TRUE.equals(request.returnTokenIds());
            asIds = Boolean.TRUE.equals(request.returnTokensAsTokenIds());
            usageChunk = request.streamOptions() != null
                    && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        }

        @Override
        public Object body(Sampled sampled) {
            List<Choice> choices = new ArrayList<>();
            for (int i = 0; i < sampled.choices().size(); i++) {
                SampledChoice c = sampled.choices().get(i);
                choices.add(new Choice(i, c.text(),
                        logprobs ? Logprobs.of(c.pieces(), top, asIds) : null, c.finishReason(),
                        tokenIds ? c.tokenIds() : null, tokenIds ? c.promptIds() : null));
            }
            return completion(sampled.modelName(), sampled.policyVersion(), choices,
                    sampled.usage());
        }

        @Override
        public List<?> opening(Admission admission) {
            return List.of();
        }

        @Override
        public Object chunk(Admission admission, int choice, Delta delta) {
            int[] ids = tokenIds ? delta.tokenIds() : null;
            Choice c = delta.ends()
                    ? new Choice(choice, "", null, delta.finishReason(), ids,
                            tokenIds ? admission.promptIds().get(choice) : null)
                    : new Choice(choice, delta.text(),
                            logprobs ? Logprobs.of(delta.pieces(), top, asIds) : null, null, ids, null);
            return completion(admission.modelName(), admission.policyVersion(), List.of(c), null);
        }

        @Override
        public Object usage(Admission admission, Usage usage) {
            return usageChunk ? completion(admission.modelName(), admission.policyVersion(),
                    List.of(), usage) : null;
        }

        private Completion completion(String model, long version, List<Choice> choices,
                Usage usage) {
            return new Completion(id, "text_completion", created, model, choices, usage, version);
        }
    }
}
