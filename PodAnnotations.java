package ai.collectiveagency.rollout.checkpoint;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In Kubernetes, the policy this replica serves written on its own pod, so that
 * {@code kubectl get pods} and {@code ./pipeline fleet status} see what each replica serves:
 * annotations {@value #POLICY_VERSION} (the version, decimal) and {@value #POLICY_BASE_SHA256}
 * (the base model's identity, {@link BaseModel#sha256()}), set by a JSON merge patch that
 * touches nothing else of the pod. Written whenever the served version changes
 * ({@link #settled}) and by {@link #annotate} for the version served at start.
 *
 * <p>The pod is known from the Downward API ({@link PodIdentity}); outside a pod this does
 * nothing, says so once at INFO, and never asks for a client. A patch that fails (no RBAC, the
 * API server unreachable) never disturbs serving: it is counted in
 * {@code rollout_pod_annotation_failures_total}, logged once per run of failures, and the next
 * change of version (or the next {@link #annotate}) tries again.
 *
 * <pre>{@code
 * PodAnnotations pod = new PodAnnotations(PodIdentity.fromEnvironment(System.getenv()),
 *         kubernetesClients::get, base.sha256(), registry);
 * pod.annotate(runner.current().version());
 * }</pre>
 */
public final class PodAnnotations implements AdoptionListener {

    /** The version served, decimal. */
    public static final String POLICY_VERSION = "collectiveagency.ai/policy-version";
    /** The base model's identity, the {@code base_model_sha256} of its checkpoints. */
    public static final String POLICY_BASE_SHA256 = "collectiveagency.ai/policy-base-sha256";

    private static final System.Logger LOG = System.getLogger(PodAnnotations.class.getName());

    private final Optional<PodIdentity> pod;
    private final Supplier<KubernetesClient> client;
    private final String baseSha256;
    private final Counter failures;
    private Long annotated; // the version the pod carries, as far as this replica knows
    private boolean failing;

    /**
     * @param pod the pod this runs in; empty outside Kubernetes
     * @param client the Kubernetes client, asked for only in a pod
     * @param baseSha256 the base model's identity
     */
    public PodAnnotations(Optional<PodIdentity> pod, Supplier<KubernetesClient> client,
            String baseSha256, MeterRegistry registry) {
        this.pod = pod;
        this.client = client;
        this.baseSha256 = baseSha256;
        this.failures = Counter.builder("rollout.pod.annotation.failures")
                .description("Patches of this replica's pod annotations that failed")
                .register(registry);
        if (pod.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, PodIdentity.NAME + "/" + PodIdentity.NAMESPACE
                    + " not set: not annotating the pod with the policy version served");
        }
    }

    @Override
    public void loading(long version) {
        // what is served has not changed yet
    }

    @Override
    public void settled(long servedVersion) {
        annotate(servedVersion);
    }

    /** Writes {@code servedVersion} on the pod unless it carries it already. */
    public synchronized void annotate(long servedVersion) {
        if (pod.isEmpty() || Long.valueOf(servedVersion).equals(annotated)) {
            return;
        }
        PodIdentity target = pod.get();
        try {
            KubernetesClient kubernetes = client.get();
            String patch = kubernetes.getKubernetesSerialization().asJson(Map.of("metadata",
                    Map.of("annotations", Map.of(POLICY_VERSION, Long.toString(servedVersion),
                            POLICY_BASE_SHA256, baseSha256))));
            kubernetes.pods().inNamespace(target.namespace()).withName(target.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            annotated = servedVersion;
            if (failing) {
                LOG.log(System.Logger.Level.INFO, "pod " + target.namespace() + "/"
                        + target.name() + " annotated again: " + POLICY_VERSION + "="
                        + servedVersion);
                failing = false;
            }
        } catch (RuntimeException e) {
            failures.increment();
            annotated = null; // unknown now: the next adoption writes again
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, "cannot annotate pod " + target.namespace()
                        + "/" + target.name() + " with " + POLICY_VERSION + "=" + servedVersion
                        + " (" + e + "); serving on, the next adoption tries again (logged"
                        + " once until a patch succeeds; needs get and patch on pods, k8s/base/"
                        + "rollout-service/role.yaml)");
                failing = true;
            }
        }
    }

    /** Patches that failed since start. */
    double failureCount() {
        return failures.count();
    }
}
