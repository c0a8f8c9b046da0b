package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Option;

/** Which cluster, namespace and topics {@code ./pipeline fleet}'s subcommands act on. */
final class FleetOptions {

    /** The namespace of k8s/README.md, where the context names none. */
    static final String DEFAULT_NAMESPACE = "alignment";

    @Option(names = "--namespace", paramLabel = "N",
            description = "The namespace of the pipeline (default: the context's, else "
                    + DEFAULT_NAMESPACE + ").")
    private String namespace;

    @Option(names = "--context", paramLabel = "C",
            description = "The kubeconfig context (default: the current one). The kubeconfig "
                    + "is found as kubectl finds it: KUBECONFIG, ~/.kube/config, else the "
                    + "in-cluster service account.")
    private String context;

    @Option(names = "--prefix", paramLabel = "P",
            description = "The topics' prefix (default: " + TopicCatalogue.DEFAULT_PREFIX
                    + ").")
    private String prefix = TopicCatalogue.DEFAULT_PREFIX;

    /** The kubeconfig context asked for; null for the current one. */
    String context() {
        return context;
    }

    /** {@code --namespace}, else the client's (its context's), else {@value #DEFAULT_NAMESPACE}. */
    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String configured = client.getNamespace();
        return configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured;
    }

    /** The topic catalogue under {@code --prefix}, at its default sizes. */
    TopicCatalogue topics() {
        return TopicCatalogue.withPrefix(prefix);
    }
}
