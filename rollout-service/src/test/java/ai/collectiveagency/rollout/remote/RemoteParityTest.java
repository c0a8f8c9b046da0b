package ai.collectiveagency.rollout.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.selfplay.GenerationEngine;
import ai.collectiveagency.selfplay.ModelName;
import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.Reasoning;
import ai.collectiveagency.selfplay.SelfPlay;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.selfplay.TurnSampling;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same seeded groups sampled locally and through remote generation against this service's
 * own API (vLLM's protocol: token-id prompts, one seeded request per sequence, all of a turn's
 * requests at once) give the same token ids turn by turn and the same log-probs within 1e-5.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class RemoteParityTest {

    @TestHTTPResource("/")
    URL url;

    /**
     * Under reasoning async a turn's call mixes budgets: the local engine cuts each row to its
     * own, the remote one asks each request for it; both give the same thoughts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OFF", "ASYNC"})
    void localAndRemoteGenerationSampleTheSameGroups(Reasoning.Mode reasoning) throws Exception {
        NegotiationSettings settings = new NegotiationSettings(4, 3, 2,
                new TurnSampling(1.0, 0.95, 8), new TurnSampling(0.7, 1.0, 8),
                new TurnSampling(1.0, 1.0, 8), 4, 1, true, new Reasoning(reasoning, 5));
        List<PromptTask> tasks = List.of(TestTasks.task("parity-1", TaskMode.NEGOTIATION, 71),
                TestTasks.task("parity-2", TaskMode.NEGOTIATION, 72),
                TestTasks.task("parity-3", TaskMode.SINGLE, 73));
        String model = ModelName.of(TestTasks.MODEL);
        try (Policy policy = Policy.load(TestTasks.MODEL);
                RemoteEngines engines = new RemoteEngines(new RemoteEngines.Settings(
                        List.of(URI.create(url.toString())), Optional.of("test-key-1"), model,
                        Duration.ofMinutes(1), 0, Duration.ZERO, 32, Duration.ofHours(1)),
                        new ObjectMapper());
                EngineAdapters.Lease base = engines.lease(0)) {
            List<RolloutGroup> local = selfPlay(policy, GenerationEngine.local(policy), model,
                    settings).rollout(tasks, 0);
            List<RolloutGroup> remote = selfPlay(policy, engines.engine(base,
                    policy.endOfSequence()), model, settings).rollout(tasks, 0);

            assertThat(remote).hasSameSizeAs(local);
            int compared = 0;
            for (int g = 0; g < local.size(); g++) {
                List<Trajectory> a = local.get(g).getTrajectories();
                List<Trajectory> b = remote.get(g).getTrajectories();
                assertThat(b).hasSameSizeAs(a);
                for (int t = 0; t < a.size(); t++) {
                    List<Turn> turnsA = a.get(t).getTurns();
                    List<Turn> turnsB = b.get(t).getTurns();
                    assertThat(turnsB).as("turns of %s", a.get(t).getTrajectoryId())
                            .hasSameSizeAs(turnsA);
                    for (int k = 0; k < turnsA.size(); k++) {
                        Turn x = turnsA.get(k);
                        Turn y = turnsB.get(k);
                        assertThat(y.getPromptTokenIds()).isEqualTo(x.getPromptTokenIds());
                        assertThat(y.getCompletionTokenIds())
                                .as("tokens of turn %d of %s", k, a.get(t).getTrajectoryId())
                                .isEqualTo(x.getCompletionTokenIds());
                        for (int i = 0; i < x.getCompletionLogprobs().size(); i++) {
                            assertThat(y.getCompletionLogprobs().get(i))
                                    .isCloseTo(x.getCompletionLogprobs().get(i), within(1e-5f));
                        }
                        compared += x.getCompletionTokenIds().size();
                    }
                    assertThat(b.get(t).getResolution()).isEqualTo(a.get(t).getResolution());
                }
            }
            assertThat(compared).as("tokens compared").isGreaterThan(50);
        }
    }

    private static SelfPlay selfPlay(Policy policy, GenerationEngine engine, String model,
            NegotiationSettings settings) {
        return SelfPlay.builder().setPolicy(policy).optEngine(engine).setModelName(model)
                .optSettings(settings).optTemplates(TestTasks.compactPrompts()).build();
    }
}
