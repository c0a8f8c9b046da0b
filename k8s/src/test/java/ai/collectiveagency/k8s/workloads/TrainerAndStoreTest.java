package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import ai.collectiveagency.k8s.render.keda.KedaModel;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One trainer, never two writers of the checkpoint store; the store mounted read-write in the
 * trainer alone.
 */
class TrainerAndStoreTest {

    private static final String TRAINER = "trainer-service";
    private static final String STORE_CLAIM = "checkpoints";
    /** Where rollout replicas write their leases: CheckpointLeases' folder in the store. */
    private static final String LEASES = ".leases";

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void theTrainerIsSingle(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        Workload trainer = Workload.of(manifest, TRAINER);
        if (trainer.workload() instanceof Deployment deployment) {
            assertThat(deployment.getSpec().getReplicas()).as(overlay + " trainer replicas")
                    .isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType())
                    .as(overlay + " trainer rollout strategy: the old pod stops before the new "
                            + "one starts").isEqualTo("Recreate");
        } else {
            assertThat(((StatefulSet) trainer.workload()).getSpec().getReplicas())
                    .as(overlay + " trainer replicas").isEqualTo(1);
        }
        assertThat(manifest.all(KedaModel.ScaledObject.class))
                .as(overlay + ": nothing scales the trainer")
                .noneMatch(so -> so.spec().scaleTargetRef().name().equals(TRAINER));
        assertThat(manifest.all(HorizontalPodAutoscaler.class))
                .noneMatch(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(TRAINER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void onlyTheTrainerWritesTheCheckpointStore(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        assertThat(manifest.find(PersistentVolumeClaim.class, STORE_CLAIM))
                .as(overlay + " checkpoint store claim").isPresent();
        for (String service : Workload.SERVICES) {
            Workload workload = Workload.of(manifest, service);
            Optional<String> volume = Optional.ofNullable(workload.pod().getVolumes())
                    .orElse(List.of()).stream()
                    .filter(v -> v.getPersistentVolumeClaim() != null
                            && v.getPersistentVolumeClaim().getClaimName().equals(STORE_CLAIM))
                    .map(Volume::getName).findFirst();
            List<VolumeMount> mounts = workload.allContainers().stream()
                    .flatMap(c -> Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())
                            .stream())
                    .filter(m -> volume.isPresent() && m.getName().equals(volume.get()))
                    .toList();
            if (service.equals(TRAINER)) {
                assertThat(mounts).as(overlay + " trainer mounts the store").isNotEmpty()
                        .allSatisfy(m -> assertThat(m.getReadOnly()).isNotEqualTo(true));
            } else {
                // A claim read-only at the volume makes every mount of it read-only, the
                // lease folder's too.
                if (mounts.stream().anyMatch(m -> LEASES.equals(m.getSubPath()))) {
                    assertThat(workload.pod().getVolumes().stream()
                            .filter(v -> v.getName().equals(volume.get())).findFirst()
                            .orElseThrow().getPersistentVolumeClaim().getReadOnly())
                            .as(overlay + " " + service + ": its lease folder is writable")
                            .isNotEqualTo(true);
                }
                // A replica writes its own lease, and nothing else, in .leases/.
                assertThat(mounts).as(overlay + " " + service + " mounts the store read-only")
                        .allSatisfy(m -> assertThat(m.getReadOnly() == Boolean.TRUE
                                || LEASES.equals(m.getSubPath())).isTrue());
            }
        }
        assertThat(Workload.of(manifest, "rollout-service").allContainers().stream()
                .flatMap(c -> Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())
                        .stream()).map(VolumeMount::getMountPath))
                .as(overlay + ": the fleet reads checkpoints from the store")
                .contains(Workload.of(manifest, "rollout-service")
                        .setting("rollout.checkpoints.store-root"));
        Workload evaluation = Workload.of(manifest, "evaluation-service");
        assertThat(evaluation.mainContainer().getVolumeMounts())
                .as(overlay + ": the evaluator reads checkpoints from the store, read-only")
                .anySatisfy(mount -> {
                    assertThat(mount.getMountPath()).isEqualTo(
                            evaluation.setting("evaluation.checkpoints.store-root"));
                    assertThat(mount.getReadOnly()).isTrue();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "production"})
    void theStoreIsSharedAcrossNodes(String overlay) {
        PersistentVolumeClaim claim = Manifest.overlay(overlay)
                .find(PersistentVolumeClaim.class, STORE_CLAIM).orElseThrow();
        assertThat(claim.getSpec().getAccessModes()).as(overlay + " " + STORE_CLAIM)
                .contains("ReadWriteMany");
    }
}
