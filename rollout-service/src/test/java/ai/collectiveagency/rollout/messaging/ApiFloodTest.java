package ai.collectiveagency.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.TaskMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A flood on the API (issue 12): 200 clients keep sending requests while tasks arrive on the
 * real broker. The API's queue is full ({@code %test.rollout.api.max-queued=4}), so most get
 * OpenAI's 429 with {@code Retry-After}; some are served; and the rollout loop still turns
 * every task into its group meanwhile, because the policy worker serves the rollout lane and
 * the API lane in turn. Afterwards the service is healthy and answers as before.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class ApiFloodTest {

    private static final int CLIENTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/v1/completions")
    URL completions;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flooding = new AtomicBoolean(true);

    @Test
    void aFloodIsRefusedWith429WhileTheRolloutLoopKeepsProducingGroups() throws Exception {
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(client(i));
        }
        List<PromptTask> tasks = List.of(TestTasks.task("flood-n-1", TaskMode.NEGOTIATION, 41),
                TestTasks.task("flood-s-2", TaskMode.SINGLE, 42));
        TopicClients topics = new TopicClients(bootstrapServers);
        topics.sendTasks(tasks);

        List<ConsumerRecord<String, RolloutGroup>> groups = topics.groups(
                tasks.stream().map(PromptTask::getTaskId).toList());
        boolean stillFlooding = flooding.getAndSet(false);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();

        assertThat(stillFlooding).isTrue();
        assertThat(groups).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("flood-n-1", "flood-s-2");
        assertThat(statuses.keySet()).as("statuses seen: %s", statuses).containsOnly(200, 429);
        assertThat(statuses.get(429).get()).isGreaterThan(statuses.get(200).get());
        assertThat(refusals).allSatisfy(refusal -> assertThat(refusal).isEqualTo(
                "rate_limit_exceeded"));
        assertThat(send(ready).statusCode()).isEqualTo(200);
        HttpResponse<String> after = send(request(0));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }

    /**
     * One client: sends, and when it has its answer sends again, while flooding (after a 429
     * a tenth of a second later, so that the test's own clients leave the server some CPU).
     */
    private CompletableFuture<Void> client(int index) {
        return http.sendAsync(request(index), HttpResponse.BodyHandlers.ofString())
                .thenComposeAsync(response -> {
                    record(response);
                    return flooding.get() ? client(index) : CompletableFuture.completedFuture(null);
                }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
    }

    private void record(HttpResponse<String> response) {
        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                .incrementAndGet();
        if (response.statusCode() == 429) {
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(0);
            try {
                JsonNode error = JSON.readTree(response.body()).path("error");
                refusals.add(retryAfter >= 1 ? error.path("code").asText()
                        : "no Retry-After: " + response.body());
            } catch (IOException e) {
                refusals.add("not JSON: " + response.body());
            }
        }
    }

    private HttpRequest request(int index) {
        String body;
        try {
            // A temperature of each client's own: compatible requests would wait as one batch
            // (one place in the lane), and this flood is to fill the lane.
            body = JSON.writeValueAsString(Map.of("prompt", "Flood " + index, "max_tokens", 32,
                    "temperature", 0.5 + index / 1000.0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HttpRequest.newBuilder(URI.create(completions.toString()))
                .header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(URL url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
