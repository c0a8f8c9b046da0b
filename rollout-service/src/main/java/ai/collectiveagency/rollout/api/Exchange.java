package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * One generating request's answer, written on the request's event loop: a JSON object, or
 * server-sent events ({@code data: {chunk}} and a closing {@code data: [DONE]}).
 *
 * <p>The status is chosen when the answer can no longer be refused: a plain answer's once it is
 * done; a live stream's once the worker admitted the prompts (200, then each token's chunk as
 * the worker releases it); a stream with top log-probs once it is done (its chunks then all at
 * once). An error after a stream opened is one {@code data: {"error": ...}} event, then
 * {@code [DONE]}. A client that leaves more than {@value #SLOW_CLIENT_BYTES} bytes unread is cut
 * off: its generation stops rather than buffer without bound.
 */
final class Exchange implements StreamListener {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
    static final int SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final RoutingContext ctx;
    private final Context loop;
    private final ObjectMapper mapper;
    private final Rendering rendering;
    private final boolean stream;
    private final ApiCall call;
    private final Duration timeout;
    private Admission admission; // the fields below: on the event loop only
    private boolean open;

    Exchange(RoutingContext ctx, ObjectMapper mapper, Rendering rendering, boolean stream,
            ApiCall call, Duration timeout) {
        this.ctx = ctx;
        this.loop = Vertx.currentContext();
        this.mapper = mapper;
        this.rendering = rendering;
        this.stream = stream;
        this.call = call;
        this.timeout = timeout;
    }

    @Override
    public void admitted(Admission admitted) {
        loop.runOnContext(v -> open(admitted));
    }

    @Override
    public void released(int choice, Delta delta) {
        loop.runOnContext(v -> {
            if (open) {
                send(rendering.chunk(admission, choice, delta));
            }
        });
    }

    /** The job's end: its answer, or why there is none. */
    void completed(Sampled sampled, Throwable error) {
        loop.runOnContext(v -> finish(sampled, error));
    }

    private void finish(Sampled sampled, Throwable error) {
        if (gone()) {
            return;
        }
        if (error != null) {
            fail(error);
            return;
        }
        ctx.put(Responses.GENERATED_TOKENS, sampled.completionTokens());
        if (!stream) {
            ctx.response().putHeader(Responses.VERSION_HEADER,
                    Long.toString(sampled.policyVersion()));
            Responses.json(ctx, mapper, 200, rendering.body(sampled));
            return;
        }
        if (!open) {
            replay(sampled);
        }
        Object usage = rendering.usage(admission, sampled.usage());
        if (usage != null) {
            send(usage);
        }
        end();
    }

    /** A stream whose tokens could not go live: all its chunks now. */
    private void replay(Sampled sampled) {
        open(Admission.of(sampled));
        for (int i = 0; i < sampled.choices().size(); i++) {
            SampledChoice c = sampled.choices().get(i);
            for (int p = 0; p < c.pieces().size(); p++) {
                TokenPiece piece = c.pieces().get(p);
                send(rendering.chunk(admission, i, Delta.tokens(c.delta(p), List.of(piece),
                        new int[] {piece.tokenId()})));
            }
            send(rendering.chunk(admission, i, Delta.end(c.finishReason(),
                    Arrays.copyOfRange(c.tokenIds(), c.pieces().size(), c.tokenIds().length))));
        }
    }

    private void open(Admission admitted) {
        if (gone() || open) {
            return;
        }
        admission = admitted;
        open = true;
        ctx.response().setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(Responses.VERSION_HEADER, Long.toString(admitted.policyVersion()))
                .setWriteQueueMaxSize(SLOW_CLIENT_BYTES);
        rendering.opening(admitted).forEach(this::send);
    }

    private void send(Object event) {
        if (gone()) {
            return;
        }
        HttpServerResponse response = ctx.response();
        response.write(Buffer.buffer("data: ").appendBytes(Responses.bytes(mapper, event))
                .appendString("\n\n"));
        if (response.writeQueueFull()) {
            LOG.log(System.Logger.Level.INFO, "request " + Responses.requestId(ctx)
                    + ": the client left " + SLOW_CLIENT_BYTES + " bytes of its stream unread;"
                    + " generation stops and the connection closes");
            call.abandon(ApiCall.Stop.SLOW_CLIENT);
            ctx.request().connection().close();
        }
    }

    private void fail(Throwable error) {
        ApiException refusal = refusal(error);
        if (refusal == null) {
            return; // nobody is waiting for an answer
        }
        if (!open) {
            Responses.error(ctx, mapper, refusal);
            return;
        }
        send(refusal.body());
        end();
    }

    /** The refusal the client gets; null when it is gone. */
    private ApiException refusal(Throwable cause) {
        if (cause instanceof ApiException refused) {
            return refused;
        }
        if (cause instanceof TimeoutException) {
            return ApiException.deadline(timeout, call.started());
        }
        if (cause instanceof GenerationCancelledException
                || cause instanceof CancellationException) {
            return call.stop() == ApiCall.Stop.DEADLINE
                    ? ApiException.deadline(timeout, call.started()) : null;
        }
        String id = Responses.requestId(ctx);
        LOG.log(System.Logger.Level.ERROR, "request " + id + " failed", cause);
        return ApiException.serverError(id);
    }

    private void end() {
        if (!gone()) {
            RequestMeter.record(ctx, "200");
            ctx.response().end(DONE);
        }
    }

    private boolean gone() {
        HttpServerResponse response = ctx.response();
        return response.ended() || response.closed();
    }
}
