package ai.collectiveagency.k8s.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.k8s.render.keda.KedaModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Strict parsing: what a cluster would silently drop fails here, named. */
class ManifestTest {

    @Test
    void parsesEachKindIntoItsTypedModel() throws IOException {
        Manifest manifest = Manifest.parse("test", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers:
                      - name: web
                        securityContext: {readOnlyRootFilesystem: true}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, replicas: 1}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: web}
                spec:
                  scaleTargetRef: {name: web}
                  maxReplicaCount: 3
                  triggers:
                  - type: kafka
                    metadata: {topic: t}
                """);

        assertThat(manifest.all(Deployment.class)).hasSize(1);
        assertThat(manifest.all(KafkaTopic.class)).singleElement()
                .satisfies(topic -> assertThat(topic.getSpec().getPartitions()).isEqualTo(3));
        assertThat(manifest.all(KedaModel.ScaledObject.class)).singleElement()
                .satisfies(so -> assertThat(so.spec().maxReplicaCount()).isEqualTo(3));
    }

    @Test
    void aMisspeltKubernetesFieldFailsWithItsPath() {
        assertThatThrownBy(() -> Manifest.parse("test", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers:
                      - name: web
                        securityContext: {readOnlyRootFileSystem: true}
                """)).hasMessageContaining("Deployment web")
                .hasMessageContaining("securityContext.readOnlyRootFileSystem");
    }

    @Test
    void anUnknownStrimziFieldFails() {
        assertThatThrownBy(() -> Manifest.parse("test", """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, replica: 1}
                """)).hasMessageContaining("spec.replica");
    }

    @Test
    void anUnknownKedaFieldFails() {
        assertThatThrownBy(() -> Manifest.parse("test", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: web, labelz: {}}
                spec:
                  scaleTargetRef: {name: web}
                  maxReplicas: 3
                """)).hasMessageContaining("maxReplicas");
    }

    @Test
    void aKindWithoutModelFails() {
        assertThatThrownBy(() -> Manifest.parse("test", """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """)).hasMessageContaining("no typed model");
    }
}
