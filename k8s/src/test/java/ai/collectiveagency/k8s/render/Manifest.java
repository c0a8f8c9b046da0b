package ai.collectiveagency.k8s.render;

import ai.collectiveagency.k8s.render.keda.KedaModel;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rendered kustomization, every object parsed strictly into its typed model: fabric8's
 * Kubernetes and prometheus-operator models, Strimzi's {@code io.strimzi:api}, and
 * {@link KedaModel} for KEDA. An object of a kind no model knows, or with a field its model does
 * not have, fails the parse with the object and the field named.
 *
 * @param name the overlay's name (or {@code base})
 * @param objects every object, in the order kustomize rendered them
 */
public record Manifest(String name, List<Object> objects) {

    private static final Map<String, Manifest> RENDERED = new ConcurrentHashMap<>();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static {
        // Strimzi 0.49 serves v1 for every kind; its Java model still names v1beta2 (the
        // stored version) on Kafka and KafkaNodePool, and models both.
        for (Class<? extends KubernetesResource> strimzi : List.of(Kafka.class,
                KafkaNodePool.class, KafkaTopic.class, KafkaUser.class)) {
            KUBERNETES.registerKubernetesResource("kafka.strimzi.io/v1",
                    strimzi.getSimpleName(), strimzi);
        }
    }

    public Manifest {
        objects = List.copyOf(objects);
    }

    /** {@code k8s/overlays/NAME} rendered and parsed, once per test run. */
    public static Manifest overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> render(n, Kustomize.projectRoot()
                .resolve("k8s/overlays").resolve(n)));
    }

    /** {@code k8s/base} rendered and parsed. */
    public static Manifest base() {
        return RENDERED.computeIfAbsent("base", n -> render(n, Kustomize.projectRoot()
                .resolve("k8s/base")));
    }

    private static Manifest render(String name, Path folder) {
        try {
            return parse(name, Kustomize.render(folder));
        } catch (IOException e) {
            throw new IllegalStateException("rendering " + folder + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted rendering " + folder, e);
        }
    }

    /** Parses a YAML stream of objects. */
    public static Manifest parse(String name, String yaml) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isEmpty()) {
                    objects.add(typed(name, document));
                }
            }
        }
        return new Manifest(name, objects);
    }

    private static Object typed(String manifest, JsonNode document) throws IOException {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        String where = manifest + ": " + kind + " " + document.path("metadata").path("name")
                .asText() + " (" + apiVersion + ")";
        Object parsed;
        if (apiVersion.startsWith("keda.sh/")) {
            Class<?> type = switch (kind) {
                case "ScaledObject" -> KedaModel.ScaledObject.class;
                case "TriggerAuthentication" -> KedaModel.TriggerAuthentication.class;
                default -> throw new IllegalArgumentException(where + ": no model for the kind");
            };
            if (!apiVersion.equals("keda.sh/v1alpha1")) {
                throw new IllegalArgumentException(where + ": KEDA serves keda.sh/v1alpha1");
            }
            try {
                parsed = STRICT.treeToValue(document, type);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        } else {
            parsed = KUBERNETES.convertValue(document, KubernetesResource.class);
            if (parsed instanceof GenericKubernetesResource || !(parsed instanceof HasMetadata)) {
                throw new IllegalArgumentException(where + ": no typed model for this kind and "
                        + "version");
            }
        }
        List<String> unknown = UnknownFields.in(parsed);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown fields " + unknown);
        }
        return parsed;
    }

    /** The objects of {@code type}. */
    public <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The object of {@code type} named {@code resourceName}. */
    public <T extends HasMetadata> Optional<T> find(Class<T> type, String resourceName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(resourceName))
                .findFirst();
    }
}
