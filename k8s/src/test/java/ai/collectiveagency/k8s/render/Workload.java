package ai.collectiveagency.k8s.render;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service as a rendered manifest runs it: its workload (Deployment or StatefulSet), its pod
 * spec, and its configuration as the service would see it: the prod-profile keys of its
 * {@code application.properties}, overridden by the environment its main container gets (literal
 * values and the ConfigMaps it takes {@code envFrom}), by Quarkus's environment-variable rule.
 *
 * @param service the service's name (its module, Deployment and KafkaUser)
 * @param workload the Deployment or StatefulSet
 * @param pod its pod template's spec
 * @param properties property key to value from its application.properties, expressions not
 *     yet expanded
 * @param environment the main container's environment variables with literal values
 */
public record Workload(String service, HasMetadata workload, PodSpec pod,
        Map<String, String> properties, Map<String, String> environment) {

    /** The five services of the pipeline. */
    public static final List<String> SERVICES = List.of("prompt-generator", "rollout-service",
            "reward-service", "trainer-service", "evaluation-service");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    /** {@code service} in {@code manifest}; fails when it is not there. */
    public static Workload of(Manifest manifest, String service) {
        List<HasMetadata> found = new ArrayList<>();
        found.addAll(manifest.find(Deployment.class, service).stream().toList());
        found.addAll(manifest.find(StatefulSet.class, service).stream().toList());
        if (found.size() != 1) {
            throw new AssertionError(manifest.name() + ": expected one Deployment or StatefulSet "
                    + service + ", found " + found.size());
        }
        HasMetadata workload = found.get(0);
        PodSpec pod = workload instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                : ((StatefulSet) workload).getSpec().getTemplate().getSpec();
        Map<String, String> settings = applicationProperties(service);
        Container main = pod.getContainers().stream()
                .filter(c -> c.getName().equals(service)).findFirst()
                .orElse(pod.getContainers().get(0));
        Map<String, String> environment = new TreeMap<>();
        for (EnvFromSource source : Optional.ofNullable(main.getEnvFrom()).orElse(List.of())) {
            if (source.getConfigMapRef() != null) {
                manifest.find(ConfigMap.class, source.getConfigMapRef().getName())
                        .map(ConfigMap::getData).ifPresent(environment::putAll);
            }
        }
        for (EnvVar variable : Optional.ofNullable(main.getEnv()).orElse(List.of())) {
            if (variable.getValue() != null) {
                environment.put(variable.getName(), variable.getValue());
            }
        }
        return new Workload(service, workload, pod, Map.copyOf(settings),
                Map.copyOf(environment));
    }

    /** The service's main container (named after it). */
    public Container mainContainer() {
        return pod.getContainers().stream().filter(c -> c.getName().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no container named "
                        + service));
    }

    /** The labels its pods carry. */
    public Map<String, String> podLabels() {
        return workload instanceof Deployment d ? d.getSpec().getTemplate().getMetadata()
                .getLabels() : ((StatefulSet) workload).getSpec().getTemplate().getMetadata()
                .getLabels();
    }

    /** Every container of the pod, init containers included. */
    public List<Container> allContainers() {
        List<Container> all = new ArrayList<>(Optional.ofNullable(pod.getInitContainers())
                .orElse(List.of()));
        all.addAll(pod.getContainers());
        return all;
    }

    /** The value of {@code key} as the service resolves it, or {@code fallback}. */
    public String setting(String key, String fallback) {
        String raw = raw(key).orElse(fallback);
        if (raw == null) {
            throw new AssertionError(service + " sets no " + key);
        }
        return expand(raw, 0);
    }

    /** The value of {@code key} as the service resolves it; fails when unset. */
    public String setting(String key) {
        return setting(key, null);
    }

    private String expand(String value, int depth) {
        if (depth > 10) {
            throw new AssertionError(service + ": expressions nest too deep in " + value);
        }
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = raw(m.group(1)).orElse(m.group(2));
            if (inner == null) {
                throw new AssertionError(service + ": ${" + m.group(1) + "} is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(expand(inner, depth + 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The unexpanded value of {@code key}: its environment variable by Quarkus's rule (which
     * wins), else the file's value.
     */
    private Optional<String> raw(String key) {
        return Optional.ofNullable(environment.get(environmentName(key)))
                .or(() -> Optional.ofNullable(properties.get(key)));
    }

    /** {@code rollout.stage.consumer-group} as {@code ROLLOUT_STAGE_CONSUMER_GROUP}. */
    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, String> applicationProperties(String service) {
        Path file = Kustomize.projectRoot().resolve(service)
                .resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("reading " + file, e);
        }
        Map<String, String> prod = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                .forEach(key -> prod.put(key, properties.getProperty(key)));
        return prod;
    }
}
