package ai.collectiveagency.k8s.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import ai.collectiveagency.k8s.render.keda.KedaModel.ScaledObject;
import ai.collectiveagency.k8s.render.keda.KedaModel.Trigger;
import ai.collectiveagency.k8s.render.keda.KedaModel.TriggerAuthentication;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rollout-service and reward-service scale on their consumer group's lag on their input topic,
 * never past its partitions (a replica more would sit idle), with credentials from a secret.
 */
class ScaledObjectsTest {

    private static final Map<String, String> STAGE_KEYS = Map.of(
            "rollout-service", "rollout.stage.", "reward-service", "reward.stage.");

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void eachStageScalesOnItsOwnGroupsLag(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (Map.Entry<String, String> stage : STAGE_KEYS.entrySet()) {
            String service = stage.getKey();
            Workload workload = Workload.of(manifest, service);
            String group = workload.setting(stage.getValue() + "consumer-group");
            String topic = workload.setting(stage.getValue() + "input-topic");
            List<ScaledObject> scalers = manifest.all(ScaledObject.class).stream()
                    .filter(so -> so.spec().scaleTargetRef().name().equals(service)).toList();

            assertThat(scalers).as(overlay + " ScaledObject of " + service).hasSize(1);
            ScaledObject scaler = scalers.get(0);
            assertThat(scaler.spec().triggers()).as(overlay + " " + service + " triggers")
                    .isNotEmpty().allMatch(t -> t.type().equals("kafka"));
            for (Trigger trigger : scaler.spec().triggers()) {
                assertThat(trigger.metadata()).as(overlay + " " + service + " trigger")
                        .containsEntry("consumerGroup", group)
                        .containsEntry("topic", topic)
                        .containsKeys("bootstrapServers", "lagThreshold");
                assertThat(trigger.authenticationRef()).as("credentials").isNotNull();
                assertThat(manifest.all(TriggerAuthentication.class))
                        .as(overlay + " TriggerAuthentication " + trigger.authenticationRef()
                                .name())
                        .anyMatch(auth -> auth.metadata().getName()
                                .equals(trigger.authenticationRef().name()));
            }
            int partitions = manifest.all(KafkaTopic.class).stream()
                    .filter(t -> t.getSpec().getTopicName().equals(topic))
                    .mapToInt(t -> t.getSpec().getPartitions()).findFirst().orElseThrow();
            assertThat(scaler.spec().maxReplicaCount()).as(overlay + " " + service
                    + " max replicas, " + topic + " has " + partitions + " partitions")
                    .isNotNull().isBetween(1, partitions);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void lagIsReadWithSecretsOnlyByReference(String overlay) {
        for (TriggerAuthentication auth : Manifest.overlay(overlay)
                .all(TriggerAuthentication.class)) {
            assertThat(auth.spec().secretTargetRef()).as(overlay + " "
                    + auth.metadata().getName() + " reads its password from a secret")
                    .anyMatch(ref -> ref.parameter().equals("password"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void thePromptGeneratorTheTrainerAndTheEvaluatorDoNotAutoscale(String overlay) {
        assertThat(Manifest.overlay(overlay).all(ScaledObject.class))
                .extracting(so -> so.spec().scaleTargetRef().name())
                .doesNotContain("prompt-generator", "trainer-service", "evaluation-service");
    }
}
