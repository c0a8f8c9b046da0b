package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.dlq.KafkaOptions;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleet status [--json]}: for each service of the pipeline its desired, ready and
 * available replicas and restarts (Kubernetes), its consumer lag (Kafka), the KEDA ScaledObject
 * that scales it, and for each pod the policy version it serves against the newest announced
 * checkpoint. Without Kafka it shows the Kubernetes part and says why Kafka is missing; without
 * the Kubernetes API it fails. Changes nothing.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each service's replicas, restarts, consumer lag, autoscaler, and "
                + "each rollout pod's policy version against the newest checkpoint.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    private FleetCommand parent;

    @Mixin
    private FleetOptions options;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--json", description = "One JSON object: namespace, services, kafka.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        return Reporting.run(() -> {
            StatusReport report;
            try (KubernetesClient client = parent.kubernetes(options.context())) {
                String namespace = options.namespace(client);
                List<ServiceWorkload> services = new ClusterReader(client, namespace)
                        .services();
                TopicCatalogue topics = options.topics();
                report = new StatusReport(namespace, services, KafkaFacts.view(
                        kafka.settings(parent.root()), topics, KafkaFacts.TIMEOUT));
            }
            if (json) {
                report.json(parent.out());
            } else {
                report.table(parent.out());
            }
            return 0;
        });
    }
}
