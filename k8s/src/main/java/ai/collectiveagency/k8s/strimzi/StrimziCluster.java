package ai.collectiveagency.k8s.strimzi;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Strimzi Kafka cluster the manifests in {@code k8s/} deploy, and how its custom resources
 * are named: what the topic and user operators match ({@code strimzi.io/cluster}) and what
 * Strimzi derives from the cluster's name (the bootstrap service, the cluster CA's secret).
 *
 * @param name the {@code Kafka} resource's name
 */
public record StrimziCluster(String name) {

    /** The label by which Strimzi's topic and user operators pick their cluster's resources. */
    public static final String CLUSTER_LABEL = "strimzi.io/cluster";

    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern NOT_IN_RESOURCE_NAME = Pattern.compile("[^a-z0-9.-]");

    /** The cluster of {@code k8s/base/kafka/kafka.yaml}. */
    public static final StrimziCluster PIPELINE = new StrimziCluster("pipeline");

    public StrimziCluster {
        if (name == null || !DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a DNS label for a Kafka cluster: " + name);
        }
    }

    /** The labels every custom resource of this cluster carries. */
    public Map<String, String> labels() {
        return Map.of(CLUSTER_LABEL, name);
    }

    /**
     * A Kubernetes resource name for a Kafka name (a topic or user): lower case, '_' as '-'.
     * The Kafka name itself stays in the resource's spec where it may differ.
     */
    public static String resourceName(String kafkaName) {
        return NOT_IN_RESOURCE_NAME.matcher(kafkaName.toLowerCase(Locale.ROOT)).replaceAll("-");
    }
}
