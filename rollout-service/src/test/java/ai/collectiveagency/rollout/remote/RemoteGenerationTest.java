package ai.collectiveagency.rollout.remote;

import static ai.collectiveagency.rollout.remote.ScriptedEngine.COMPLETIONS;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.completion;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.remote.ScriptedEngine.Call;
import ai.collectiveagency.selfplay.GenerationEngine;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Remote generation against real HTTP servers speaking vLLM's completions protocol: what one
 * sampling call sends and reads back, retries, and how requests spread over two engines.
 */
class RemoteGenerationTest {

    private static final SamplingParams PARAMS = new SamplingParams(16, 0.7, 0.95, 0, 99);
    private static final Set<Integer> STOPS = Set.of(2, 7);

    @Test
    void eachPromptIsOneConcurrentSeededRequestAndTheAnswersComeBackInPromptOrder()
            throws Exception {
        CountDownLatch allArrived = new CountDownLatch(3);
        ScriptedEngine.Script script = call -> {
            allArrived.countDown();
            if (!allArrived.await(30, TimeUnit.SECONDS)) {
                return error(418, "the three requests were not in flight together");
            }
            int first = call.body().path("prompt").path(0).asInt();
            String finish = call.body().path("seed").asLong() % 2 == 0 ? "stop" : "length";
            return completion(new int[] {first * 10, first * 10 + 1}, new double[] {-0.5, -1.25},
                    finish);
        };
        try (ScriptedEngine engine = new ScriptedEngine(script);
                RemoteEngines remote = remote(0, Optional.empty(), engine)) {
            List<Generation> generations = generate(remote, List.of(new int[] {1, 2, 3},
                    new int[] {4, 5}, new int[] {6}), new long[] {10, 11, 12});

            assertThat(generations).extracting(Generation::tokenIds).containsExactly(
                    new int[] {10, 11}, new int[] {40, 41}, new int[] {60, 61});
            assertThat(generations).extracting(Generation::logprobs).containsOnly(
                    new float[] {-0.5f, -1.25f});
            assertThat(generations).extracting(Generation::finishReason).containsExactly(
                    FinishReason.STOP, FinishReason.LENGTH, FinishReason.STOP);

            Map<Long, JsonNode> bySeed = engine.calls(COMPLETIONS).stream().map(Call::body)
                    .collect(Collectors.toMap(body -> body.path("seed").asLong(),
                            Function.identity()));
            assertThat(bySeed).containsOnlyKeys(10L, 11L, 12L);
            assertThat(ids(bySeed.get(10L).path("prompt"))).containsExactly(1, 2, 3);
            assertThat(ids(bySeed.get(11L).path("prompt"))).containsExactly(4, 5);
            assertThat(ids(bySeed.get(12L).path("prompt"))).containsExactly(6);
            for (JsonNode body : bySeed.values()) {
                assertThat(body.path("model").asText()).isEqualTo("base-model");
                assertThat(body.path("n").asInt()).isEqualTo(1);
                assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
                assertThat(body.path("top_p").asDouble()).isEqualTo(0.95);
                assertThat(body.has("top_k")).as("top_k at 0 (off) is not sent").isFalse();
                assertThat(body.path("max_tokens").asInt()).isEqualTo(16);
                assertThat(ids(body.path("stop_token_ids"))).containsExactlyInAnyOrder(2, 7);
                assertThat(body.path("logprobs").isInt()).isTrue();
                assertThat(body.path("logprobs").asInt()).isZero();
                assertThat(body.path("return_tokens_as_token_ids").asBoolean()).isTrue();
            }
            assertThat(engine.calls(COMPLETIONS)).extracting(Call::authorization).containsOnly(
                    (String) null);
        }
    }

    @Test
    void theApiKeyGoesAsABearerToken() throws Exception {
        try (ScriptedEngine engine = new ScriptedEngine(ScriptedEngine.standard(5));
                RemoteEngines remote = remote(0, Optional.of("engine-key"), engine)) {
            generate(remote, List.of(new int[] {1}), new long[] {1});

            assertThat(engine.calls(COMPLETIONS)).extracting(Call::authorization)
                    .containsExactly("Bearer engine-key");
        }
    }

    @Test
    void aServiceUnavailableEngineIsAskedAgainUntilItAnswers() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ScriptedEngine.Script script = call -> attempts.incrementAndGet() <= 2
                ? error(503, "warming up") : completion(new int[] {8, 9}, "length");
        try (ScriptedEngine engine = new ScriptedEngine(script);
                RemoteEngines remote = remote(3, Optional.empty(), engine)) {
            List<Generation> generations = generate(remote, List.of(new int[] {1, 2}),
                    new long[] {4});

            assertThat(generations).singleElement().satisfies(generation -> {
                assertThat(generation.tokenIds()).containsExactly(8, 9);
                assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
            });
            assertThat(engine.calls(COMPLETIONS)).hasSize(3)
                    .allSatisfy(call -> assertThat(call.body().path("seed").asLong())
                            .isEqualTo(4));
        }
    }

    @Test
    void anEngineThatStaysUnavailableFailsTheCallAfterItsRetriesNamingEngineAndStatus()
            throws Exception {
        try (ScriptedEngine engine = new ScriptedEngine(call -> error(503, "overloaded"));
                RemoteEngines remote = remote(2, Optional.empty(), engine)) {
            assertThatThrownBy(() -> generate(remote, List.of(new int[] {1}), new long[] {1}))
                    .isInstanceOf(RemoteEngineException.class)
                    .hasMessageContaining(engine.baseUrl().toString())
                    .hasMessageContaining("503")
                    .hasMessageContaining("after its retries");
            assertThat(engine.calls(COMPLETIONS)).hasSize(3);
        }
    }

    @Test
    void aBadRequestIsNotRetried() throws Exception {
        try (ScriptedEngine engine = new ScriptedEngine(call -> error(400,
                "This model's maximum context length is 256 tokens"));
                RemoteEngines remote = remote(3, Optional.empty(), engine)) {
            assertThatThrownBy(() -> generate(remote, List.of(new int[] {1}), new long[] {1}))
                    .isInstanceOf(RemoteEngineException.class)
                    .hasMessageContaining(engine.baseUrl().toString())
                    .hasMessageContaining("400")
                    .hasMessageContaining("maximum context length");
            assertThat(engine.calls(COMPLETIONS)).hasSize(1);
        }
    }

    @Test
    void anAnswerWithoutTokenIdsIsRefusedNotRetried() throws Exception {
        String textTokens = "{\"choices\":[{\"logprobs\":{\"tokens\":[\"hello\"],"
                + "\"token_logprobs\":[-0.1]},\"finish_reason\":\"stop\"}]}";
        try (ScriptedEngine engine = new ScriptedEngine(call ->
                new ScriptedEngine.Reply(200, textTokens));
                RemoteEngines remote = remote(3, Optional.empty(), engine)) {
            assertThatThrownBy(() -> generate(remote, List.of(new int[] {1}), new long[] {1}))
                    .isInstanceOf(RemoteEngineException.class)
                    .hasMessageContaining("malformed")
                    .hasMessageContaining("return_tokens_as_token_ids");
            assertThat(engine.calls(COMPLETIONS)).hasSize(1);
        }
    }

    @Test
    void requestsGoToTheEngineWithFewerRequestsInFlight() throws Exception {
        CountDownLatch slowArrived = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        ScriptedEngine.Script held = call -> {
            slowArrived.countDown();
            releaseSlow.await(60, TimeUnit.SECONDS);
            return completion(new int[] {1}, "stop");
        };
        try (ScriptedEngine slow = new ScriptedEngine(held);
                ScriptedEngine fast = new ScriptedEngine(ScriptedEngine.standard(2));
                RemoteEngines remote = remote(0, Optional.empty(), slow, fast)) {
            CompletableFuture<List<Generation>> stuck = CompletableFuture.supplyAsync(() ->
                    generate(remote, List.of(new int[] {1}), new long[] {1}));
            // both idle: the first configured engine takes the first request
            assertThat(slowArrived.await(30, TimeUnit.SECONDS)).isTrue();

            List<Generation> meanwhile = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                meanwhile.addAll(generate(remote, List.of(new int[] {i}), new long[] {i}));
            }
            releaseSlow.countDown();

            assertThat(meanwhile).extracting(Generation::tokenIds).containsOnly(new int[] {2});
            assertThat(fast.calls(COMPLETIONS)).hasSize(5);
            assertThat(slow.calls(COMPLETIONS)).hasSize(1);
            assertThat(stuck.get(30, TimeUnit.SECONDS)).extracting(Generation::tokenIds)
                    .containsExactly(new int[] {1});
        }
    }

    @Test
    void anEngineThatNeverAnswersIsRetriedThenReportedAsAFaultTheStageWaitsOut()
            throws Exception {
        ScriptedEngine closed = new ScriptedEngine(ScriptedEngine.standard(1));
        closed.close(); // nothing listens on its port any more
        try (RemoteEngines remote = remote(1, Optional.empty(), closed)) {
            assertThatThrownBy(() -> generate(remote, List.of(new int[] {1}), new long[] {1}))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining(closed.baseUrl().toString())
                    .hasMessageContaining("through its retries")
                    .satisfies(e -> assertThat(RecordFailure.of(e)).as("kept, not dead-lettered")
                            .isEqualTo(RecordFailure.RETRY));
        }
    }

    @Test
    void aRetryGoesToAnotherEngineThanTheOneThatJustFailed() throws Exception {
        try (ScriptedEngine failing = new ScriptedEngine(call -> error(503, "overloaded"));
                ScriptedEngine healthy = new ScriptedEngine(ScriptedEngine.standard(1));
                RemoteEngines remote = remote(1, Optional.empty(), failing, healthy)) {
            // both idle: the first attempt goes to the first engine, the retry elsewhere
            assertThat(generate(remote, List.of(new int[] {1}), new long[] {1})).hasSize(1);
            assertThat(generate(remote, List.of(new int[] {2}), new long[] {2})).hasSize(1);

            assertThat(failing.calls(COMPLETIONS)).as("passed over while it cools down")
                    .hasSize(1);
            assertThat(healthy.calls(COMPLETIONS)).hasSize(2);
        }
    }

    /** Remote generation of the base model ("base-model") on {@code engines}. */
    static RemoteEngines remote(int maxRetries, Optional<String> apiKey,
            ScriptedEngine... engines) {
        return new RemoteEngines(new RemoteEngines.Settings(
                Arrays.stream(engines).map(ScriptedEngine::baseUrl).toList(), apiKey,
                "base-model", Duration.ofSeconds(30), maxRetries, Duration.ofMillis(1), 8,
                Duration.ofMinutes(10)), new ObjectMapper());
    }

    private static List<Generation> generate(RemoteEngines remote, List<int[]> prompts,
            long[] seeds) {
        try (EngineAdapters.Lease lease = remote.lease(0)) {
            GenerationEngine engine = remote.engine(lease, STOPS);
            return engine.generate(prompts, PARAMS, seeds);
        }
    }

    static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asInt()));
        return ids;
    }
}
