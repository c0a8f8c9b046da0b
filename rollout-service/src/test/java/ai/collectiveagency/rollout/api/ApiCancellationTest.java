package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A request stops when nobody wants its answer any more: a client that leaves while its request
 * waits is dropped from the queue, one that leaves a stream stops the generation at the next
 * token, a deadline that passes in the queue ends the request; each is counted on
 * {@code rollout_api_cancelled_total}, and the next request is served as before.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class ApiCancellationTest {

    private static final String COMPLETIONS = "/v1/completions";
    private static final String LONG_STREAM = "{\"prompt\": \"The\", \"max_tokens\": 250, "
            + "\"n\": 16, \"temperature\": 1.0, \"seed\": 3, \"stream\": true}";

    @TestHTTPResource("/")
    URL url;

    @Inject
    PolicyRunner runner;

    @Inject
    GenerationService service;

    @Inject
    MeterRegistry registry;

    @Test
    void aClientThatLeavesWhileItsRequestWaitsIsDroppedFromTheQueue() throws Exception {
        double before = cancelled("disconnected", "queued");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> busy = runner.submit(p -> await(release));
        try {
            try (RawHttp waiting = RawHttp.post(url, COMPLETIONS, LONG_STREAM)) {
                awaitUntil(() -> runner.waiting(PolicyRunner.Lane.API) == 1);
            }
            awaitUntil(() -> cancelled("disconnected", "queued") == before + 1);
            assertThat(runner.waiting(PolicyRunner.Lane.API)).isZero();
        } finally {
            release.countDown();
        }
        assertThat(busy.get()).isTrue();
        assertServed();
    }

    @Test
    void aStreamSendsTokensWhileItGeneratesAndStopsWhenItsClientLeaves() {
        double before = cancelled("disconnected", "running");
        try (RawHttp stream = RawHttp.post(url, COMPLETIONS, LONG_STREAM)) {
            assertThat(stream.next("HTTP/1.1 ")).startsWith("HTTP/1.1 200");
            assertThat(stream.next("data: ")).contains("\"object\":\"text_completion\"");
        } // 16 sequences of up to 250 tokens are far from done after the first chunk

        awaitUntil(() -> cancelled("disconnected", "running") == before + 1);
        assertServed();
    }

    @Test
    void aDeadlineThatPassesInTheQueueEndsTheRequest() throws Exception {
        double before = cancelled("deadline", "queued");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> busy = runner.submit(p -> await(release));
        try {
            GenerationJob job = RequestChecks.completion(new CompletionRequest(null,
                    RequestChecksTest.prompts("The"), 1, null, null, 4, null, null, null, null,
                    null, null, null, null, null, null, null), service.limits());
            ApiCall call = new ApiCall(System.nanoTime(), Duration.ofMillis(200).toNanos());
            CompletableFuture<Sampled> answer = service.submit(job, call, null);

            assertThatThrownBy(() -> answer.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(call.started()).isFalse();
            awaitUntil(() -> cancelled("deadline", "queued") == before + 1);
            assertThat(runner.waiting(PolicyRunner.Lane.API)).isZero();
        } finally {
            release.countDown();
        }
        assertThat(busy.get()).isTrue();
        assertServed();
    }

    private void assertServed() {
        ApiClient.Answer next = new ApiClient(URI.create(url.toString())).post(COMPLETIONS,
                Map.of("prompt", "The negotiation began when", "max_tokens", 4));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
    }

    private double cancelled(String reason, String stage) {
        Counter counter = registry.find("rollout.api.cancelled").tags("reason", reason,
                "stage", stage).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits (at most a minute) until {@code condition} holds; fails if it never does. */
    static void awaitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within a minute");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
