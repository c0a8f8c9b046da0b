package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}: the one served model, with
 * {@code policy_version} (also in {@code X-Policy-Version}), the version serving now.
 */
@ApplicationScoped
public class Models {

    static final String ENDPOINT = "models";

    private final GenerationService service;
    private final ObjectMapper mapper;
    private final long created = Instant.now().getEpochSecond();

    Models(GenerationService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    /** OpenAI's model object plus the version that serves requests now. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String id, String object, long created, String ownedBy,
            long policyVersion) {
    }

    /** OpenAI's list object. */
    public record ModelList(String object, List<Model> data) {
    }

    void list(RoutingContext ctx) {
        Model model = current();
        answer(ctx, model, new ModelList("list", List.of(model)));
    }

    void get(RoutingContext ctx) {
        service.requireServed(ctx.pathParam("model"));
        Model model = current();
        answer(ctx, model, model);
    }

    private void answer(RoutingContext ctx, Model model, Object body) {
        ctx.response().putHeader(Responses.VERSION_HEADER, Long.toString(model.policyVersion()));
        Responses.json(ctx, mapper, 200, body);
    }

    private Model current() {
        ServedPolicy served = service.current();
        return new Model(served.modelName(), "model", created, "rollout-service",
                served.version());
    }
}
