package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What both generating endpoints share: the model check, the request check, the job on the
 * {@link PolicyRunner} (FIFO with rollout batches, so neither starves), OpenAI-style errors,
 * the {@code X-Policy-Version} header, server-sent events and the metrics.
 */
@ApplicationScoped
public class GenerationService {

    /** The response header that names the policy version that answered. */
    public static final String VERSION_HEADER = "X-Policy-Version";

    private static final System.Logger LOG = System.getLogger(GenerationService.class.getName());

    private final PolicyRunner runner;
    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;

    GenerationService(PolicyRunner runner, ApiConfig config, ApiMetrics metrics,
            ObjectMapper mapper) {
        this.runner = runner;
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** How a response is rendered from what the policy answered. */
    interface Rendering {
        /** The JSON body of a plain response. */
        Object body(Sampled sampled);

        /** The chunks of a streamed one, or null to answer with {@link #body}. */
        List<?> chunks(Sampled sampled);
    }

    /**
     * Checks the model and the request ({@code check} throws {@link ApiException}), runs the
     * job on the policy worker and renders the answer; every failure becomes an OpenAI error.
     */
    CompletionStage<Response> generate(String endpoint, String model,
            Supplier<GenerationJob> check, Rendering rendering) {
        long start = System.nanoTime();
        CompletableFuture<Sampled> sampled;
        try {
            requireServed(model);
            GenerationJob job = check.get();
            sampled = runner.submit(
                    served -> Sampler.sample(served, job, config.defaultMaxTokens()));
        } catch (RuntimeException e) {
            sampled = CompletableFuture.failedFuture(e);
        }
        // Rendered off the policy worker, which only runs model jobs.
        return sampled.handleAsync((answer, error) -> {
            Response response = error == null ? render(answer, rendering) : error(error);
            metrics.record(endpoint, response.getStatus(), start,
                    answer == null ? 0 : answer.completionTokens());
            return response;
        });
    }

    /** A 404 unless {@code model} is null or the served model's name. */
    void requireServed(String model) {
        String served = runner.current().modelName();
        if (model != null && !model.equals(served)) {
            throw ApiException.modelNotFound(model, served);
        }
    }

    ServedPolicy current() {
        return runner.current();
    }

    private Response render(Sampled sampled, Rendering rendering) {
        List<?> chunks = rendering.chunks(sampled);
        Response.ResponseBuilder response = chunks == null
                ? Response.ok(rendering.body(sampled), MediaType.APPLICATION_JSON)
                : Response.ok(events(chunks), "text/event-stream").header("Cache-Control",
                        "no-cache");
        return response.header(VERSION_HEADER, sampled.policyVersion()).build();
    }

    /** {@code data: {chunk}} events and the closing {@code data: [DONE]}. */
    private String events(List<?> chunks) {
        StringBuilder out = new StringBuilder();
        try {
            for (Object chunk : chunks) {
                out.append("data: ").append(mapper.writeValueAsString(chunk)).append("\n\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chunk", e);
        }
        return out.append("data: [DONE]\n\n").toString();
    }

    static Response error(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        ApiException api = cause instanceof ApiException e ? e
                : new ApiException(500, "server_error", "the model failed on this request: "
                        + cause, null, null);
        if (api.status() >= 500) {
            LOG.log(System.Logger.Level.ERROR, "API request failed", cause);
        }
        return Response.status(api.status()).type(MediaType.APPLICATION_JSON)
                .entity(api.body()).build();
    }
}
