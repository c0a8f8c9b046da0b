package ai.collectiveagency.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processes the demo and the chaos run start, as specs (nothing is started): which
 * services, in which order, with which settings and environment, on a real local broker.
 */
class LoopServicesTest {

    private static LocalKafka kafka;

    @TempDir
    Path checkout;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private Path model() throws Exception {
        Path model = Files.createDirectories(checkout.resolve("models/tiny"));
        Files.writeString(model.resolve("config.json"), "{\"max_position_embeddings\": 512}");
        return model;
    }

    private LoopServices services(Optional<LoopServices.Judge> judge) throws Exception {
        return LoopServices.of(checkout, kafka, model(), checkout.resolve("runs/demo"), 1,
                judge);
    }

    private static final String SHARE_OF_CORES = Integer.toString(
            LoopServices.threadsPerService(Runtime.getRuntime().availableProcessors()));

    @Test
    void theLoopIsPacedByTheTrainerAndTheServicesShareTheCores() throws Exception {
        List<ServiceSpec> specs = services(Optional.empty()).demoInStartOrder(Map.of());
        ServiceSpec generator = specs.stream().filter(s -> s.name().equals("prompt-generator"))
                .findFirst().orElseThrow();

        assertThat(generator.settings()).containsEntry("prompts.pacing.max-lag", "8")
                .containsEntry("prompts.pacing.trainer-max-lag", "24")
                .containsEntry("prompts.rate", "8");
        assertThat(specs).allSatisfy(s -> assertThat(s.settings())
                .containsEntry("ai.djl.pytorch.num_threads", SHARE_OF_CORES)
                .containsEntry("policy.decode.threads", SHARE_OF_CORES)
                .containsEntry("reward.embedding.threads", SHARE_OF_CORES));
        assertThat(List.of(1, 2, 4, 8, 16)).extracting(LoopServices::threadsPerService)
                .containsExactly(1, 1, 1, 2, 5);
    }

    @Test
    void theDemoStartsTheEvaluationServiceFirstAndTheChaosRunOnlyTheLoop() throws Exception {
        LoopServices services = services(Optional.empty());

        assertThat(services.demoInStartOrder(Map.of(ScaledStage.ROLLOUT, 2)))
                .extracting(ServiceSpec::replica).containsExactly("evaluation-service",
                        "trainer-service", "reward-service-0", "rollout-service-0",
                        "rollout-service-1", "prompt-generator");
        assertThat(services.inStartOrder()).extracting(ServiceSpec::name)
                .doesNotContain("evaluation-service").hasSize(4);
    }

    @Test
    void theEvaluationServiceEvaluatesTheRunsSignedCheckpointsAgainstTheDemosModel()
            throws Exception {
        ServiceSpec evaluation = services(Optional.empty()).demoInStartOrder(Map.of()).get(0);
        Path run = checkout.resolve("runs/demo");

        assertThat(evaluation.app()).isEqualTo(
                checkout.resolve("evaluation-service/target/quarkus-app/quarkus-run.jar"));
        assertThat(evaluation.settings()).containsOnly(
                Map.entry("evaluation.model", model().toString()),
                Map.entry("evaluation.checkpoints.public-keys",
                        run.resolve("keys/trainer.pub.pem").toString()),
                Map.entry("evaluation.checkpoints.store-root",
                        run.resolve(LoopServices.STORE).toString()),
                Map.entry("evaluation.schedule.min-interval", "2m"),
                Map.entry("evaluation.tasks-per-set", "16"),
                // the small model's short sets and prompts, played as the fleet samples
                Map.entry("evaluation.sets", "tiny-negotiation-v1,tiny-open-ended-v1"),
                Map.entry("evaluation.protocol.prompts", run.resolve("prompts").toString()),
                Map.entry("evaluation.protocol.max-turns", "4"),
                Map.entry("evaluation.protocol.temperature", "1.0"),
                Map.entry("evaluation.protocol.resolution-temperature", "1.0"),
                Map.entry("evaluation.protocol.top-p", "1.0"),
                Map.entry("evaluation.protocol.turn-tokens", "24"),
                Map.entry("evaluation.protocol.resolution-tokens", "56"),
                // its share of the cores, as every service's
                Map.entry("ai.djl.pytorch.num_threads", SHARE_OF_CORES),
                Map.entry("policy.decode.threads", SHARE_OF_CORES),
                Map.entry("reward.embedding.threads", SHARE_OF_CORES));
        assertThat(run.resolve("keys/trainer.pub.pem")).isRegularFile();
        assertThat(run.resolve(LoopServices.STORE)).isDirectory();
        assertThat(evaluation.environment()).containsEntry("KAFKA_BOOTSTRAP_SERVERS",
                kafka.bootstrapServers()).doesNotContainKey("EVALUATION_JUDGE_API_KEY");
    }

    @Test
    void withAnInferenceServerTheRolloutServicesDriveItRemotelyWithTheRunsKey() throws Exception {
        Path run = checkout.resolve("runs/demo");
        LoopServices services = LoopServices.of(checkout, kafka, model(), run, 1,
                Optional.empty(), RunMode.NEGOTIATION, true);
        LoopServices.InferenceServer server = services.inferenceServer().orElseThrow();
        List<ServiceSpec> specs = services.demoInStartOrder(Map.of(ScaledStage.ROLLOUT, 2));

        assertThat(specs).extracting(ServiceSpec::replica).containsExactly("evaluation-service",
                LoopServices.INFERENCE_SERVER, "trainer-service", "reward-service-0",
                "rollout-service-0", "rollout-service-1", "prompt-generator");
        ServiceSpec engine = specs.get(1);
        assertThat(engine.app()).isEqualTo(
                checkout.resolve("rollout-service/target/quarkus-app/quarkus-run.jar"));
        assertThat(engine.port()).isEqualTo(server.port());
        assertThat(engine.settings())
                .containsEntry("quarkus.profile", LoopServices.INFERENCE_SERVER)
                .containsEntry("rollout.checkpoints.store-root",
                        run.resolve(LoopServices.STORE).toString())
                .doesNotContainValue(server.apiKey());
        assertThat(engine.environment()).containsEntry("ROLLOUT_API_KEYS", server.apiKey())
                .doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
        for (ServiceSpec rollout : specs.subList(4, 6)) {
            assertThat(rollout.settings()).containsEntry("rollout.generation", "remote")
                    .containsEntry("rollout.remote.urls", "http://127.0.0.1:" + server.port())
                    .doesNotContainValue(server.apiKey());
            assertThat(rollout.environment()).containsEntry("ROLLOUT_REMOTE_API_KEY",
                    server.apiKey());
        }
        assertThat(server.apiKey()).hasSize(48);
        assertThat(server.toString()).doesNotContain(server.apiKey());
        assertThat(services(Optional.empty()).inferenceServer()).isEmpty();
    }

    @Test
    void withAJudgeTheEvaluationServiceJudgesWithItsKeyInItsEnvironmentOnly() throws Exception {
        LoopServices services = services(Optional.of(new LoopServices.Judge(
                URI.create("https://judge.example/v1"), "judge-model", "sk-judge")));
        List<ServiceSpec> specs = services.demoInStartOrder(Map.of());
        ServiceSpec evaluation = specs.get(0);

        assertThat(evaluation.settings())
                .containsEntry("evaluation.judge.base-url", "https://judge.example/v1")
                .containsEntry("evaluation.judge.model", "judge-model")
                .doesNotContainValue("sk-judge");
        assertThat(evaluation.environment()).containsEntry("EVALUATION_JUDGE_API_KEY",
                "sk-judge");
        assertThat(specs.stream().filter(s -> !s.name().equals("evaluation-service")
                && !s.name().equals("reward-service"))).allSatisfy(s -> assertThat(
                        s.environment()).doesNotContainValue("sk-judge"));
    }

    @Test
    void onASecuredBrokerTheEvaluationServiceConnectsAsItsOwnUser(@TempDir Path data)
            throws Exception {
        try (LocalKafka secured = LocalKafka.startSecure(data, LocalKafka.ANY_PORT,
                kafka.catalogue())) {
            ServiceSpec evaluation = LoopServices.of(checkout, secured, model(),
                    checkout.resolve("runs/secure"), 1, Optional.empty())
                    .demoInStartOrder(Map.of()).get(0);

            assertThat(evaluation.environment()).containsEntry("KAFKA_SECURITY_PROTOCOL",
                    "SASL_SSL");
            assertThat(evaluation.environment().get("KAFKA_SASL_JAAS_CONFIG"))
                    .contains("username=\"evaluation-service\"");
        }
    }
}
