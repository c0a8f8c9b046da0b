package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * vLLM's runtime LoRA routes, {@code POST /v1/load_lora_adapter} and
 * {@code POST /v1/unload_lora_adapter}, installed only with {@code rollout.api.runtime-lora}
 * (otherwise a 404, as vLLM without {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING}). Both answer 200
 * with vLLM's plain-text success line; refusals are OpenAI error objects. They block (a load
 * reads and hashes the adapter's files), so they run on a worker thread, never the event loop
 * or the policy worker.
 */
@ApplicationScoped
public class LoraAdapterRoutes {

    static final String ENDPOINT = "lora_adapters";

    private final RuntimeAdapters adapters;
    private final ObjectMapper mapper;

    LoraAdapterRoutes(RuntimeAdapters adapters, ObjectMapper mapper) {
        this.adapters = adapters;
        this.mapper = mapper;
    }

    /** {@code {"lora_name": ..., "lora_path": ...}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LoadRequest(String loraName, String loraPath) {
    }

    /** {@code {"lora_name": ...}}; vLLM's {@code lora_int_id} is accepted and ignored. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UnloadRequest(String loraName, Long loraIntId) {
    }

    void load(RoutingContext ctx) {
        LoadRequest request = JsonBodies.parse(mapper, ctx.body().buffer(), LoadRequest.class);
        adapters.load(request.loraName(), request.loraPath());
        success(ctx, "Success: LoRA adapter '" + request.loraName() + "' added successfully.");
    }

    void unload(RoutingContext ctx) {
        UnloadRequest request = JsonBodies.parse(mapper, ctx.body().buffer(),
                UnloadRequest.class);
        adapters.unload(request.loraName());
        success(ctx, "Success: LoRA adapter '" + request.loraName()
                + "' removed successfully.");
    }

    private static void success(RoutingContext ctx, String text) {
        ctx.response().setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(text);
    }
}
