package ai.collectiveagency.demo.fleetops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code fleet status}'s output: what Kubernetes and Kafka said of each service, as a table or
 * as one JSON object.
 *
 * @param namespace where the services run
 * @param services each service, by name
 * @param kafka what Kafka said, or why it said nothing
 */
record StatusReport(String namespace, List<ServiceWorkload> services, KafkaView kafka) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-20s %7s %6s %9s %8s %8s%n";

    StatusReport {
        services = List.copyOf(services);
    }

    /** Records the service has not consumed yet; empty when Kafka did not say. */
    Optional<Long> lagOf(String service) {
        return kafka instanceof KafkaView.Reached reached
                ? Optional.ofNullable(reached.lag().get(service)) : Optional.empty();
    }

    /** Versions between what the pod serves and the newest announced; empty when unknown. */
    OptionalLong behindBy(PodState pod) {
        if (kafka instanceof KafkaView.Reached reached && pod.policyVersion().isPresent()
                && reached.newestCheckpoint().isPresent()) {
            return OptionalLong.of(reached.newestCheckpoint().getAsLong()
                    - pod.policyVersion().getAsLong());
        }
        return OptionalLong.empty();
    }

    void table(PrintStream out) {
        out.println("namespace " + namespace);
        if (services.isEmpty()) {
            out.println("no Deployment or pod labelled " + FleetLabels.PART_OF + "="
                    + FleetLabels.PIPELINE + " in namespace " + namespace);
        } else {
            out.printf(ROW, "SERVICE", "DESIRED", "READY", "AVAILABLE", "RESTARTS", "LAG");
        }
        for (ServiceWorkload service : services) {
            out.printf(ROW, service.service(), service.desired(), service.ready(),
                    service.available(), service.restarts(),
                    lagOf(service.service()).map(String::valueOf).orElse("-"));
            service.autoscaler().ifPresent(keda -> out.println("  " + keda.summary()));
            for (PodState pod : service.pods()) {
                out.println("  " + podLine(pod));
            }
        }
        if (kafka instanceof KafkaView.Reached reached) {
            out.println("newest announced checkpoint: "
                    + (reached.newestCheckpoint().isPresent()
                            ? "v" + reached.newestCheckpoint().getAsLong() : "none yet"));
            out.println(reached.pinnedVersion().isPresent()
                    ? "pinned: the fleet serves v" + reached.pinnedVersion().getAsLong()
                            + " until ./pipeline fleet unpin"
                    : "pinned: no (the fleet follows the newest checkpoint)");
        } else if (kafka instanceof KafkaView.Unreachable unreachable) {
            out.println("Kafka was not reachable (" + unreachable.reason()
                    + "): no lag and no checkpoint shown");
        }
    }

    private String podLine(PodState pod) {
        StringBuilder line = new StringBuilder(String.format("%-40s %-9s %-9s restarts %d",
                pod.name(), pod.phase(), pod.ready() ? "ready" : "not-ready", pod.restarts()));
        if (pod.policyVersion().isPresent()) {
            line.append("  serves v").append(pod.policyVersion().getAsLong());
            OptionalLong behind = behindBy(pod);
            if (behind.isPresent()) {
                line.append(behind.getAsLong() == 0 ? " (newest)"
                        : " (behind by " + behind.getAsLong() + ")");
            }
        }
        return line.toString();
    }

    void json(PrintStream out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("namespace", namespace);
        ArrayNode rows = root.putArray("services");
        for (ServiceWorkload service : services) {
            ObjectNode row = rows.addObject();
            row.put("name", service.service());
            row.put("desired", service.desired());
            row.put("ready", service.ready());
            row.put("available", service.available());
            row.put("restarts", service.restarts());
            lagOf(service.service()).ifPresentOrElse(lag -> row.put("lag", lag),
                    () -> row.putNull("lag"));
            service.autoscaler().ifPresentOrElse(keda -> autoscaler(row.putObject("autoscaler"),
                    keda), () -> row.putNull("autoscaler"));
            ArrayNode pods = row.putArray("pods");
            service.pods().forEach(pod -> pod(pods.addObject(), pod));
        }
        ObjectNode broker = root.putObject("kafka");
        if (kafka instanceof KafkaView.Reached reached) {
            broker.put("reachable", true);
            put(broker, "newest_checkpoint", reached.newestCheckpoint());
            put(broker, "pinned_version", reached.pinnedVersion());
        } else if (kafka instanceof KafkaView.Unreachable unreachable) {
            broker.put("reachable", false);
            broker.put("error", unreachable.reason());
        }
        out.println(root.toString());
    }

    private void pod(ObjectNode node, PodState pod) {
        node.put("name", pod.name());
        node.put("phase", pod.phase());
        node.put("ready", pod.ready());
        node.put("restarts", pod.restarts());
        put(node, "policy_version", pod.policyVersion());
        put(node, "behind_by", behindBy(pod));
    }

    private static void autoscaler(ObjectNode node, AutoscalerState keda) {
        node.put("name", keda.name());
        node.put("min_replicas", keda.minReplicas());
        node.put("max_replicas", keda.maxReplicas());
        node.put("ready", keda.ready().orElse(null));
        node.put("active", keda.active().orElse(null));
        node.put("paused_replicas", keda.pausedReplicas().orElse(null));
        node.put("paused", keda.paused());
    }

    private static void put(ObjectNode node, String field, OptionalLong value) {
        if (value.isPresent()) {
            node.put(field, value.getAsLong());
        } else {
            node.putNull(field);
        }
    }
}
