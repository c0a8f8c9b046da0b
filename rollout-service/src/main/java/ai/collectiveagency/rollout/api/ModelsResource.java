package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}: the one served model, with
 * {@code policy_version} (also in {@code X-Policy-Version}), the version serving now.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    static final String ENDPOINT = "models";

    private final GenerationService service;
    private final ApiMetrics metrics;
    private final long created = Instant.now().getEpochSecond();

    ModelsResource(GenerationService service, ApiMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    /** OpenAI's model object plus the version that serves requests now. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String id, String object, long created, String ownedBy,
            long policyVersion) {
    }

    /** OpenAI's list object. */
    public record ModelList(String object, List<Model> data) {
    }

    @GET
    public Response list() {
        long start = System.nanoTime();
        Model model = current();
        metrics.record(ENDPOINT, 200, start, 0);
        return Response.ok(new ModelList("list", List.of(model)))
                .header(GenerationService.VERSION_HEADER, model.policyVersion()).build();
    }

    @GET
    @Path("/{model}")
    public Response get(@PathParam("model") String name) {
        long start = System.nanoTime();
        Response response;
        try {
            service.requireServed(name);
            Model model = current();
            response = Response.ok(model)
                    .header(GenerationService.VERSION_HEADER, model.policyVersion()).build();
        } catch (ApiException e) {
            response = GenerationService.error(e);
        }
        metrics.record(ENDPOINT, response.getStatus(), start, 0);
        return response;
    }

    private Model current() {
        var served = service.current();
        return new Model(served.modelName(), "model", created, "rollout-service",
                served.version());
    }
}
