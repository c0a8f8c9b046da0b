package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}: the served model, with
 * {@code policy_version} (also in {@code X-Policy-Version}), the version serving now, and each
 * runtime LoRA adapter as vLLM lists it: {@code id} its name, {@code root} its folder,
 * {@code parent} the served model's name.
 */
@ApplicationScoped
public class Models {

    static final String ENDPOINT = "models";

    private final GenerationService service;
    private final RuntimeAdapters adapters;
    private final ObjectMapper mapper;
    private final long created = Instant.now().getEpochSecond();

    Models(GenerationService service, RuntimeAdapters adapters, ObjectMapper mapper) {
        this.service = service;
        this.adapters = adapters;
        this.mapper = mapper;
    }

    /**
     * OpenAI's model object plus the version that serves requests now; an adapter also has
     * {@code root} and {@code parent}, as vLLM writes them.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String id, String object, long created, String ownedBy,
            long policyVersion, String root, String parent) {
    }

    /** OpenAI's list object. */
    public record ModelList(String object, List<Model> data) {
    }

    void list(RoutingContext ctx) {
        Model base = current();
        List<Model> models = new ArrayList<>(List.of(base));
        adapters.list().forEach(a -> models.add(adapter(a, base)));
        answer(ctx, base, new ModelList("list", models));
    }

    void get(RoutingContext ctx) {
        String id = ctx.pathParam("model");
        String adapter = service.adapterOf(id);
        Model base = current();
        Model model = adapter == null ? base : adapters.list().stream()
                .filter(a -> a.name().equals(adapter)).findFirst()
                .map(a -> adapter(a, base))
                .orElseThrow(() -> ApiException.modelNotFound(id, base.id()));
        answer(ctx, base, model);
    }

    private void answer(RoutingContext ctx, Model base, Object body) {
        ctx.response().putHeader(Responses.VERSION_HEADER, Long.toString(base.policyVersion()));
        Responses.json(ctx, mapper, 200, body);
    }

    private Model adapter(RuntimeAdapters.Listed adapter, Model base) {
        return new Model(adapter.name(), "model", adapter.created(), "rollout-service",
                base.policyVersion(), adapter.path(), base.id());
    }

    private Model current() {
        ServedPolicy served = service.current();
        return new Model(served.modelName(), "model", created, "rollout-service",
                served.version(), null, null);
    }
}
