package ai.collectiveagency.rollout.remote;

import static ai.collectiveagency.rollout.remote.ScriptedEngine.COMPLETIONS;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.LOAD;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.UNLOAD;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.completion;
import static ai.collectiveagency.rollout.remote.ScriptedEngine.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.remote.ScriptedEngine.Call;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Policy versions as LoRA adapters on real HTTP engines speaking vLLM's runtime LoRA protocol:
 * loaded on every engine, requested by name, unloaded once no batch holds them, loaded again on
 * an engine that lost one.
 */
class EngineAdaptersTest {

    private static final SamplingParams PARAMS = SamplingParams.greedy(4);
    private static final Path V1 = Path.of("/store/policy/v1");
    private static final Path V2 = Path.of("/store/policy/v2");
    private static final Path V3 = Path.of("/store/policy/v3");
    private static final Path V4 = Path.of("/store/policy/v4");
    /** A manifest digest per version; the adapter's name carries its first 12 hex digits. */
    private static final String SHA1 = "1a".repeat(32);
    private static final String SHA2 = "2b".repeat(32);
    private static final String SHA3 = "3c".repeat(32);
    private static final String SHA4 = "4d".repeat(32);
    private static final String N1 = "policy-v1-1a1a1a1a1a1a";
    private static final String N2 = "policy-v2-2b2b2b2b2b2b";
    private static final String N3 = "policy-v3-3c3c3c3c3c3c";
    private static final String N4 = "policy-v4-4d4d4d4d4d4d";

    @Test
    void anAdapterIsLoadedOnEveryEngineAndServedUntilTheLastBatchHoldingItIsDone()
            throws Exception {
        try (ScriptedEngine a = new ScriptedEngine(ScriptedEngine.standard(3));
                ScriptedEngine b = new ScriptedEngine(ScriptedEngine.standard(3));
                RemoteEngines remote = RemoteGenerationTest.remote(0, Optional.empty(), a, b)) {
            remote.load(1, V1, SHA1);
            remote.serve(1);

            for (ScriptedEngine engine : List.of(a, b)) {
                assertThat(engine.calls(LOAD)).singleElement().satisfies(call -> {
                    assertThat(call.body().path("lora_name").asText()).isEqualTo(N1);
                    assertThat(call.body().path("lora_path").asText()).isEqualTo(V1.toString());
                });
            }
            assertThat(remote.currentModel()).isEqualTo(N1);

            EngineAdapters.Lease v1 = remote.lease(1);
            assertThat(v1.model()).isEqualTo(N1);
            generate(remote, v1, 4);
            assertThat(completions(a, b)).hasSize(4).extracting(Call::model)
                    .containsOnly(N1);

            remote.load(2, V2, SHA2);
            remote.serve(2);
            remote.load(3, V3, SHA3);
            remote.serve(3);
            remote.load(4, V4, SHA4);
            remote.serve(4);
            assertThat(remote.currentModel()).isEqualTo(N4);
            assertThat(a.calls(UNLOAD)).as("v1 is still held by a batch").isEmpty();
            assertThat(b.calls(UNLOAD)).as("v1 is still held by a batch").isEmpty();
            generate(remote, v1, 2);
            assertThat(completions(a, b)).hasSize(6).extracting(Call::model)
                    .containsOnly(N1);

            v1.close();
            for (ScriptedEngine engine : List.of(a, b)) {
                assertThat(engine.calls(UNLOAD)).as("v1 is three versions behind and free")
                        .extracting(Call::model).containsExactly(N1);
            }
            assertThatThrownBy(() -> remote.lease(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("policy version 1");
            try (EngineAdapters.Lease v2 = remote.lease(2)) {
                generate(remote, v2, 2);
            }
            assertThat(completions(a, b)).hasSize(8).extracting(Call::model)
                    .containsOnly(N1, N2);
            assertThat(a.calls(UNLOAD)).as("v2 is among the last served: closing its lease"
                    + " keeps it").hasSize(1);
        }
    }

    @Test
    void anAdapterNoBatchHoldsIsUnloadedOnceThreeNewerAreServed() throws Exception {
        try (ScriptedEngine engine = new ScriptedEngine(ScriptedEngine.standard(3));
                RemoteEngines remote = RemoteGenerationTest.remote(0, Optional.empty(),
                        engine)) {
            remote.load(1, V1, SHA1);
            remote.serve(1);
            remote.load(2, V2, SHA2);
            remote.serve(2);
            remote.load(3, V3, SHA3);
            remote.serve(3);
            assertThat(engine.calls(UNLOAD)).as("other replicas may still sample the two"
                    + " served before").isEmpty();
            remote.load(4, V4, SHA4);
            remote.serve(4);

            assertThat(engine.calls()).extracting(Call::path, Call::model).containsExactly(
                    tuple(LOAD, N1), tuple(LOAD, N2), tuple(LOAD, N3), tuple(LOAD, N4),
                    tuple(UNLOAD, N1));
        }
    }

    @Test
    void anEngineThatLostTheAdapterGetsItAgainAndTheRequestSucceeds() throws Exception {
        AtomicBoolean holdsAdapter = new AtomicBoolean();
        ScriptedEngine.Script restarting = call -> switch (call.path()) {
            case LOAD -> {
                holdsAdapter.set(true);
                yield new ScriptedEngine.Reply(200, "Success");
            }
            case COMPLETIONS -> call.model().equals(N1) && !holdsAdapter.get()
                    ? error(404, "The model `" + N1 + "` does not exist.")
                    : completion(new int[] {6, 7}, "stop");
            default -> error(404, "Not Found");
        };
        try (ScriptedEngine engine = new ScriptedEngine(restarting);
                RemoteEngines remote = RemoteGenerationTest.remote(1, Optional.empty(),
                        engine)) {
            remote.load(1, V1, SHA1);
            remote.serve(1);
            holdsAdapter.set(false); // the engine restarted

            List<Generation> generations;
            try (EngineAdapters.Lease lease = remote.lease(1)) {
                generations = remote.engine(lease, Set.of()).generate(List.of(new int[] {1}),
                        PARAMS, new long[] {0});
            }

            assertThat(generations).singleElement().extracting(Generation::tokenIds)
                    .isEqualTo(new int[] {6, 7});
            assertThat(engine.calls()).extracting(Call::path)
                    .containsExactly(LOAD, COMPLETIONS, LOAD, COMPLETIONS);
            assertThat(engine.calls(LOAD)).extracting(call -> call.body().path("lora_path")
                    .asText()).containsOnly(V1.toString());
        }
    }

    @Test
    void anAdapterTheEngineSaysItHasAlreadyLoadedCountsAsLoaded() throws Exception {
        ScriptedEngine.Script alreadyLoaded = call -> call.path().equals(LOAD)
                ? error(400, "The lora adapter '" + N1 + "' has already been loaded.")
                : completion(new int[] {4}, "stop");
        try (ScriptedEngine engine = new ScriptedEngine(alreadyLoaded);
                RemoteEngines remote = RemoteGenerationTest.remote(0, Optional.empty(),
                        engine)) {
            remote.load(1, V1, SHA1);
            remote.serve(1);
            try (EngineAdapters.Lease lease = remote.lease(1)) {
                remote.engine(lease, Set.of()).generate(List.of(new int[] {1}), PARAMS,
                        new long[] {0});
            }

            assertThat(engine.calls()).extracting(Call::path, Call::model).containsExactly(
                    tuple(LOAD, N1),
                    tuple(COMPLETIONS, N1));
        }
    }

    @Test
    void anAdapterNoEngineLoadsFailsTheLoadNamingTheEnginesAnswer() throws Exception {
        try (ScriptedEngine engine = new ScriptedEngine(call ->
                error(400, "Loading lora policy-v1 failed: No adapter found for /store/policy/v1"));
                RemoteEngines remote = RemoteGenerationTest.remote(0, Optional.empty(),
                        engine)) {
            assertThatThrownBy(() -> remote.load(1, V1, SHA1))
                    .isInstanceOf(RemoteEngineException.class)
                    .hasMessageContaining(N1)
                    .hasMessageContaining("400")
                    .hasMessageContaining("No adapter found");
            assertThatThrownBy(() -> remote.lease(1)).isInstanceOf(IllegalStateException.class);
            assertThat(remote.currentModel()).isEqualTo("base-model");
        }
    }

    private static void generate(RemoteEngines remote, EngineAdapters.Lease lease, int count) {
        List<int[]> prompts = IntStream.range(0, count)
                .mapToObj(i -> new int[] {i + 1}).toList();
        long[] seeds = LongStream.range(0, count).toArray();
        assertThat(remote.engine(lease, Set.of(0)).generate(prompts, PARAMS, seeds))
                .hasSize(count);
    }

    private static List<Call> completions(ScriptedEngine... engines) {
        return Arrays.stream(engines).flatMap(engine -> engine.calls(COMPLETIONS)
                .stream()).toList();
    }
}
