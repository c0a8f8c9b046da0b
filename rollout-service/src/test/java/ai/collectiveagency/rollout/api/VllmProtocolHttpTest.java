package ai.collectiveagency.rollout.api;

import static ai.collectiveagency.rollout.api.ChatCompletionsHttpTest.assertError;
import static ai.collectiveagency.rollout.api.ChatCompletionsHttpTest.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.AdapterCheckpoint;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vLLM protocol a remote client drives, against the service as the inference server runs
 * it (no Kafka): token-id prompts, {@code stop_token_ids}, {@code return_tokens_as_token_ids},
 * the seed rule (a request with seed s and n 1 is local generation with seed s, float for
 * float), batching of concurrent compatible requests (the same ids as alone, log-probs to float
 * rounding), and runtime LoRA adapters loaded from the store root.
 */
@QuarkusTest
@TestProfile(InferenceServerProfile.class)
class VllmProtocolHttpTest {

    private static final String COMPLETIONS = "/v1/completions";
    private static final String BASE = "qwen2-tiny-random";
    private static final int[] PROMPT = {11, 42, 7, 100, 5, 23};
    // Floats as written, to the last digit: read back as float they must be the same float.
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TestHTTPResource("/")
    URL url;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    PolicyRunner runner;

    @Inject
    GenerationService service;

    @Inject
    MeterRegistry registry;

    private ApiClient api() {
        return new ApiClient(URI.create(url.toString()));
    }

    @Test
    void readyWithoutKafka() {
        assertThat(ApiClient.fetch(ready).status()).isEqualTo(200);
    }

    @Test
    void aSeededTokenPromptIsLocalGenerationWithThatSeed() throws Exception {
        JsonNode choice = completion(request(PROMPT, 1234L, 0.9, 8)).path("choices").get(0);

        try (Policy policy = Policy.load(TestTasks.MODEL)) {
            Generation local = policy.generate(List.of(PROMPT),
                    new SamplingParams(8, 0.9, 1.0, 0, 0), new long[] {1234L}, List.of()).get(0);
            assertThat(ints(choice.path("token_ids"))).containsExactly(local.tokenIds());
            assertThat(ints(choice.path("prompt_token_ids"))).containsExactly(PROMPT);
            assertThat(floats(choice.path("logprobs").path("token_logprobs")))
                    .containsExactly(local.logprobs());
            List<String> tokens = new ArrayList<>();
            choice.path("logprobs").path("tokens").forEach(t -> tokens.add(t.asText()));
            List<String> expected = new ArrayList<>();
            for (int id : local.tokenIds()) {
                expected.add("token_id:" + id);
            }
            assertThat(tokens).isEqualTo(expected);
        }
    }

    @Test
    void greedyIsTheSameWithoutSeedAndListsEveryToken() throws Exception {
        Map<String, Object> body = request(PROMPT, null, 0.0, 6);
        body.put("logprobs", 2);
        JsonNode first = completion(body).path("choices").get(0);
        JsonNode second = completion(body).path("choices").get(0);

        assertThat(ints(first.path("token_ids"))).containsExactly(ints(second.path("token_ids")));
        JsonNode logprobs = first.path("logprobs");
        assertThat(logprobs.path("tokens").size()).isEqualTo(first.path("token_ids").size());
        for (int t = 0; t < logprobs.path("top_logprobs").size(); t++) {
            logprobs.path("top_logprobs").get(t).fieldNames()
                    .forEachRemaining(key -> assertThat(key).startsWith("token_id:"));
        }
    }

    @Test
    void stopTokenIdsEndAChoiceWithTheTokenIncluded() throws Exception {
        int[] free = ints(completion(request(PROMPT, null, 0.0, 8)).path("choices").get(0)
                .path("token_ids"));
        int at = firstNew(free);
        Map<String, Object> body = request(PROMPT, null, 0.0, 8);
        body.put("stop_token_ids", List.of(free[at]));
        JsonNode stopped = completion(body).path("choices").get(0);

        int[] expected = java.util.Arrays.copyOf(free, at + 1);
        assertThat(ints(stopped.path("token_ids"))).containsExactly(expected);
        assertThat(stopped.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(stopped.path("logprobs").path("tokens")).hasSize(at + 1);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused() {
        assertError(api().post(COMPLETIONS, Map.of("prompt", List.of(1, 2, 1_000_000),
                "max_tokens", 2)), 400, "prompt", "invalid_value");
        assertError(api().post(COMPLETIONS, Map.of("prompt", List.of(List.of(1), List.of(-3)),
                "max_tokens", 2)), 400, "prompt", "invalid_value");
        assertError(api().post(COMPLETIONS, Map.of("prompt", List.of(1, 2), "max_tokens", 2,
                "stop_token_ids", List.of(-1))), 400, "stop_token_ids", "invalid_value");
        JsonNode two = completion(Map.of("prompt", List.of(List.of(1, 2), List.of(3)),
                "max_tokens", 2, "n", 2));
        assertThat(two.path("choices")).hasSize(4);
    }

    @Test
    void concurrentCompatibleRequestsAreBatchedWithTheirOwnResults() throws Exception {
        long[] seeds = {5, 6, 7, 8};
        double batchedBefore = count("rollout.api.batched.requests");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> busy = runner.submit(PolicyRunner.Lane.API,
                p -> await(release));
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        try {
            for (long seed : seeds) {
                answers.add(CompletableFuture.supplyAsync(() -> completion(
                        request(PROMPT, seed, 1.0, 6))));
            }
            GenerationJob.BatchKey key = new GenerationJob.BatchKey(null, 6, 1.0, 1.0,
                    List.of(), Set.of(), true, 0, true);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (service.waitingInBatch(key) < seeds.length && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(service.waitingInBatch(key)).isEqualTo(seeds.length);
        } finally {
            release.countDown();
        }
        assertThat(busy.get()).isTrue();
        for (int i = 0; i < seeds.length; i++) {
            JsonNode together = answers.get(i).get(60, TimeUnit.SECONDS).path("choices").get(0);
            JsonNode alone = completion(request(PROMPT, seeds[i], 1.0, 6)).path("choices").get(0);
            assertThat(ints(together.path("token_ids")))
                    .containsExactly(ints(alone.path("token_ids")));
            // The batched matrix products round differently from a batch of one (~1e-6).
            float[] expected = floats(alone.path("logprobs").path("token_logprobs"));
            float[] actual = floats(together.path("logprobs").path("token_logprobs"));
            assertThat(actual).hasSameSizeAs(expected);
            for (int t = 0; t < expected.length; t++) {
                assertThat(actual[t]).isCloseTo(expected[t], within(1e-5f));
            }
        }
        assertThat(count("rollout.api.batched.requests")).isEqualTo(batchedBefore + 4);
    }

    @Test
    void aRuntimeAdapterIsLoadedListedUsedAndUnloaded() throws Exception {
        Path folder = Path.of("target", "runtime-lora", UUID.randomUUID().toString(), "v1");
        Files.createDirectories(folder.getParent());
        TestCheckpoints.lora(folder, 1, TestKeys.generate().signer());
        String name = "negotiator-" + UUID.randomUUID();

        ApiClient.Answer loaded = api().post("/v1/load_lora_adapter", Map.of("lora_name", name,
                "lora_path", folder.toAbsolutePath().toString()));
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        assertThat(loaded.body()).contains(name);
        assertError(api().post("/v1/load_lora_adapter", Map.of("lora_name", name,
                "lora_path", folder.toAbsolutePath().toString())), 400, "lora_name",
                "invalid_value");

        JsonNode models = api().get("/v1/models").json().path("data");
        JsonNode listed = null;
        for (JsonNode model : models) {
            if (model.path("id").asText().equals(name)) {
                listed = model;
            }
        }
        assertThat(listed).as(models.toString()).isNotNull();
        assertThat(listed.path("parent").asText()).isEqualTo(BASE);
        assertThat(listed.path("root").asText()).isEqualTo(folder.toRealPath().toString());
        assertThat(models.get(0).path("id").asText()).isEqualTo(BASE);

        Map<String, Object> body = request(PROMPT, null, 0.0, 6);
        body.put("logprobs", 1);
        body.put("model", name);
        JsonNode adapted = completion(body);
        body.remove("model");
        JsonNode base = completion(body);
        assertThat(adapted.path("model").asText()).isEqualTo(name);
        JsonNode choice = adapted.path("choices").get(0);
        int[] ids = ints(choice.path("token_ids"));
        JsonNode tokens = choice.path("logprobs").path("tokens");
        assertThat(tokens).hasSize(ids.length);
        for (int t = 0; t < ids.length; t++) {
            assertThat(tokens.get(t).asText()).isEqualTo("token_id:" + ids[t]);
        }
        assertThat(floats(choice.path("logprobs").path("token_logprobs"))).isNotEqualTo(
                floats(base.path("choices").get(0).path("logprobs").path("token_logprobs")));
        try (Policy policy = Policy.load(TestTasks.MODEL);
                LoraAdapter adapter = AdapterCheckpoint.load(folder, policy.model())) {
            policy.model().setAdapter(adapter);
            Generation local = policy.generate(List.of(PROMPT), SamplingParams.greedy(6),
                    List.of()).get(0);
            assertThat(ids).containsExactly(local.tokenIds());
        }

        ApiClient.Answer unloaded = api().post("/v1/unload_lora_adapter",
                Map.of("lora_name", name, "lora_int_id", 1));
        assertThat(unloaded.status()).as(unloaded.body()).isEqualTo(200);
        assertThat(api().get("/v1/models").json().path("data")).hasSize(1);
        assertError(api().post("/v1/unload_lora_adapter", Map.of("lora_name", name)), 404,
                "lora_name", "model_not_found");
        body.put("model", name);
        assertError(api().post(COMPLETIONS, body), 404, "model", "model_not_found");
    }

    @Test
    void adapterPathsOutsideTheStoreRootAreRefused() throws Exception {
        Path outside = Files.createTempDirectory("not-in-store");
        for (String path : List.of(outside.toString(), "/etc", "../pom.xml", "runtime-lora/../..",
                "no-such-folder")) {
            assertError(api().post("/v1/load_lora_adapter", Map.of("lora_name", "x",
                    "lora_path", path)), 400, "lora_path", "invalid_value");
        }
        Path link = Path.of("target", "runtime-lora-link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, outside);
        assertError(api().post("/v1/load_lora_adapter", Map.of("lora_name", "x",
                "lora_path", link.toAbsolutePath().toString())), 400, "lora_path",
                "invalid_value");
        assertError(api().post("/v1/load_lora_adapter", Map.of("lora_name", BASE,
                "lora_path", "x")), 400, "lora_name", "invalid_value");
        Files.delete(link);
    }

    private static Map<String, Object> request(int[] prompt, Long seed, double temperature,
            int maxTokens) {
        Map<String, Object> body = new HashMap<>();
        List<Integer> ids = new ArrayList<>();
        for (int id : prompt) {
            ids.add(id);
        }
        body.put("prompt", ids);
        body.put("max_tokens", maxTokens);
        body.put("temperature", temperature);
        body.put("logprobs", 0);
        body.put("return_tokens_as_token_ids", true);
        body.put("return_token_ids", true);
        if (seed != null) {
            body.put("seed", seed);
        }
        return body;
    }

    private JsonNode completion(Map<String, Object> body) {
        ApiClient.Answer answer = api().post(COMPLETIONS, body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        try {
            return EXACT.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each number as the float its written digits name. */
    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(array.get(i).decimalValue().toString());
        }
        return out;
    }

    /** The first position from 1 whose id did not occur before it. */
    private static int firstNew(int[] ids) {
        for (int k = 1; k < ids.length; k++) {
            boolean seen = false;
            for (int j = 0; j < k; j++) {
                seen |= ids[j] == ids[k];
            }
            if (!seen) {
                return k;
            }
        }
        throw new AssertionError("no new id in " + java.util.Arrays.toString(ids));
    }

    private double count(String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
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
