package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The OpenAI-compatible API on the main HTTP port, as Vert.x Web routes (health and metrics
 * live on the management port). A JAX-RS resource cannot choose between a JSON answer and a
 * stream after the request was checked and queued, nor see a client leave while its request
 * waits; a route owns its response.
 *
 * <p>Before any route, for every request on the port (unknown paths included): a request id
 * ({@code X-Request-Id} on every response, and in the log beside any failure), the API key
 * check ({@code rollout.api.auth}), and the body size limit
 * ({@code quarkus.http.limits.max-body-size}), all refused in OpenAI's error format. Start-up
 * stops here when the API settings are bad ({@link ApiConfigChecks}).
 */
@ApplicationScoped
public class ApiRoutes {

    private static final System.Logger LOG = System.getLogger(ApiRoutes.class.getName());
    // Before Quarkus's own body size check, which answers with an empty body.
    private static final int FRONT = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    private static final int SHORT_KEY = 16;

    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;
    private final ChatCompletions chat;
    private final Completions completions;
    private final Models models;
    private final LoraAdapterRoutes loras;
    private final RuntimeAdapters adapters;
    private final String host;
    private final Optional<String> testHost;
    private final long maxBody;

    ApiRoutes(ApiConfig config, ApiMetrics metrics, ObjectMapper mapper, ChatCompletions chat,
            Completions completions, Models models, LoraAdapterRoutes loras,
            RuntimeAdapters adapters,
            @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.test-host") Optional<String> testHost,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        this.chat = chat;
        this.completions = completions;
        this.models = models;
        this.loras = loras;
        this.adapters = adapters;
        this.host = host;
        this.testHost = testHost;
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        String bound = LaunchMode.current() == LaunchMode.TEST ? testHost.orElse(host) : host;
        ApiConfigChecks.requireValid(config, bound);
        adapters.requireValid();
        ApiKeys keys = ApiKeys.of(config);
        describe(keys, bound);
        router.route().order(FRONT).handler(ctx -> front(ctx, keys));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
        router.get("/v1/models").handler(models::list);
        router.get("/v1/models/:model").handler(models::get);
        router.post("/v1/chat/completions").handler(body).handler(chat::handle);
        router.post("/v1/completions").handler(body).handler(completions::handle);
        if (config.runtimeLora()) { // else a 404, as vLLM without runtime LoRA updating
            router.post("/v1/load_lora_adapter").handler(body)
                    .blockingHandler(loras::load, false);
            router.post("/v1/unload_lora_adapter").handler(body)
                    .blockingHandler(loras::unload, false);
        }
        router.route().last().handler(ctx -> {
            throw ApiException.unknownUrl(ctx.request().method().name(), ctx.normalizedPath());
        });
        router.route().failureHandler(this::failed);
    }

    private void front(RoutingContext ctx, ApiKeys keys) {
        long arrival = System.nanoTime();
        String id = requestId();
        ctx.put(Responses.REQUEST_ID, id);
        ctx.put(Responses.ARRIVAL, arrival);
        ctx.response().putHeader(Responses.REQUEST_ID_HEADER, id);
        RequestMeter.start(ctx, metrics, endpoint(ctx.normalizedPath()), arrival);
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (config.auth() == ApiConfig.Auth.API_KEY && !keys.admits(authorization)) {
            Responses.error(ctx, mapper, ApiException.invalidApiKey(authorization != null));
            return;
        }
        if (declaredLength(ctx) > maxBody) { // answered unread, then the connection closes
            Responses.error(ctx, mapper, ApiException.bodyTooLarge(maxBody))
                    .onComplete(sent -> ctx.request().connection().close());
            return;
        }
        ctx.next();
    }

    private void failed(RoutingContext ctx) {
        if (ctx.response().headWritten()) { // a stream that broke: nothing else can be said
            ctx.response().close();
            return;
        }
        Throwable failure = ctx.failure();
        ApiException answer;
        if (failure instanceof ApiException refused) {
            answer = refused;
        } else if (ctx.statusCode() == 413) { // the body handler counted past the limit
            Responses.error(ctx, mapper, ApiException.bodyTooLarge(maxBody))
                    .onComplete(sent -> ctx.request().connection().close());
            return;
        } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            answer = new ApiException(ctx.statusCode(), "invalid_request_error",
                    HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase(), null, null);
        } else {
            String id = Responses.requestId(ctx);
            LOG.log(System.Logger.Level.ERROR, "request " + id + " failed with status "
                    + ctx.statusCode(), failure);
            answer = ApiException.serverError(id);
        }
        Responses.error(ctx, mapper, answer);
    }

    private void describe(ApiKeys keys, String bound) {
        if (config.auth() == ApiConfig.Auth.NONE) {
            LOG.log(System.Logger.Level.WARNING, "the API on " + bound + " takes no key "
                    + "(rollout.api.auth=none): anyone on this machine can call it");
            return;
        }
        LOG.log(System.Logger.Level.INFO, "the API accepts " + keys.size() + " key(s)");
        if (config.keys().orElse(List.of()).stream().map(String::strip)
                .anyMatch(key -> !key.isEmpty() && key.length() < SHORT_KEY)) {
            LOG.log(System.Logger.Level.WARNING, "an API key in rollout.api.keys is shorter "
                    + "than " + SHORT_KEY + " characters; use long random keys");
        }
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            return -1; // the HTTP codec has already refused what it could not read
        }
    }

    /** The endpoint a path belongs to, as the metrics name it. */
    private static String endpoint(String path) {
        if (path.equals("/v1/chat/completions")) {
            return ChatCompletions.ENDPOINT;
        }
        if (path.equals("/v1/completions")) {
            return Completions.ENDPOINT;
        }
        if (path.equals("/v1/load_lora_adapter") || path.equals("/v1/unload_lora_adapter")) {
            return LoraAdapterRoutes.ENDPOINT;
        }
        return path.equals("/v1/models") || path.startsWith("/v1/models/") ? Models.ENDPOINT
                : "other";
    }

    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("req_%016x%016x", random.nextLong(), random.nextLong());
    }
}
