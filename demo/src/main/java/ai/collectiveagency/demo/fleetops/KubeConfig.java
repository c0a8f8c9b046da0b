package ai.collectiveagency.demo.fleetops;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A Kubernetes client configured the way kubectl finds its cluster: {@code KUBECONFIG}, else
 * {@code ~/.kube/config}, else the in-cluster service account; a named context or the current
 * one.
 */
final class KubeConfig {

    /**
     * Retries of a request that failed to connect. fabric8's default (10, backing off
     * exponentially) makes an absent cluster a wait of minutes; a command line says so at once.
     */
    private static final int RETRIES = 1;
    /** The API server's address inside a pod, fabric8's fallback without a kubeconfig. */
    private static final String IN_CLUSTER_HOST = "kubernetes.default.svc";

    private KubeConfig() {
    }

    /**
     * What to check when {@code client} could not connect: without a kubeconfig and outside a
     * pod fabric8 falls back to the in-cluster address, which names nothing here.
     */
    static String hint(KubernetesClient client) {
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
        return !inCluster && client.getMasterUrl().getHost().equals(IN_CLUSTER_HOST)
                ? "; no kubeconfig was found (KUBECONFIG, ~/.kube/config) and this is not a pod"
                : "";
    }

    /** @param context a kubeconfig context; null for the current one */
    static KubernetesClient connect(String context) {
        Config config = Config.autoConfigure(context);
        config.setRequestRetryBackoffLimit(RETRIES);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
