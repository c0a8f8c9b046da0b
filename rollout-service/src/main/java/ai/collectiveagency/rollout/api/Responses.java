package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers and OpenAI-style errors, and keeps what a request's handlers share. */
final class Responses {

    /** The header that names the request in the service's log, on every response. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** The header that names the policy version that answered. */
    static final String VERSION_HEADER = "X-Policy-Version";

    static final String REQUEST_ID = "rollout.api.request-id";
    static final String ARRIVAL = "rollout.api.arrival-nanos";
    static final String GENERATED_TOKENS = "rollout.api.generated-tokens";

    private Responses() {
    }

    static String requestId(RoutingContext ctx) {
        return ctx.get(REQUEST_ID);
    }

    static Future<Void> json(RoutingContext ctx, ObjectMapper mapper, int status, Object body) {
        Buffer bytes = Buffer.buffer(bytes(mapper, body));
        RequestMeter.record(ctx, Integer.toString(status));
        return ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(bytes);
    }

    static Future<Void> error(RoutingContext ctx, ObjectMapper mapper, ApiException error) {
        HttpServerResponse response = ctx.response();
        error.headers().forEach(response::putHeader);
        return json(ctx, mapper, error.status(), error.body());
    }

    static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
