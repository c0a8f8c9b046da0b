package ai.collectiveagency.rollout.api;

import io.vertx.ext.web.RoutingContext;

/**
 * Counts one request once, in {@link ApiMetrics}: when its answer is handed to the connection
 * (so a scrape right after the answer sees it), or when its client left before that.
 * Confined to the request's event loop.
 */
final class RequestMeter {

    private static final String KEY = "rollout.api.meter";

    private final ApiMetrics metrics;
    private final String endpoint;
    private final long arrivalNanos;
    private boolean recorded;

    private RequestMeter(ApiMetrics metrics, String endpoint, long arrivalNanos) {
        this.metrics = metrics;
        this.endpoint = endpoint;
        this.arrivalNanos = arrivalNanos;
    }

    /** Starts metering the request of {@code ctx}; a client that leaves counts as such. */
    static void start(RoutingContext ctx, ApiMetrics metrics, String endpoint, long arrival) {
        ctx.put(KEY, new RequestMeter(metrics, endpoint, arrival));
        ctx.addEndHandler(done -> record(ctx, done.succeeded()
                ? Integer.toString(ctx.response().getStatusCode()) : "disconnected"));
    }

    /** Counts the request with {@code status}, unless it was counted already. */
    static void record(RoutingContext ctx, String status) {
        RequestMeter meter = ctx.get(KEY);
        if (meter != null && !meter.recorded) {
            meter.recorded = true;
            meter.metrics.record(meter.endpoint, status, meter.arrivalNanos,
                    ctx.get(Responses.GENERATED_TOKENS, 0));
        }
    }
}
