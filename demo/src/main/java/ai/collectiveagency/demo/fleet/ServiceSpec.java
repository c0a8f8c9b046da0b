package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.policy.engine.ModelJvmFlags;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One service process to run: the service's name (its module), the replica's name (the service's
 * own for a service of one process, {@code <service>-<i>} for a replica of a scaled stage: it
 * names the log), its packaged Quarkus app, its HTTP port (the API, where the service has one),
 * its management port (health at {@code /q/health/ready}, metrics at {@code /q/metrics}), JVM
 * options, settings as system properties, and its environment (the process gets only that and
 * {@link ChildEnvironment#INHERITED}).
 */
public record ServiceSpec(String name, String replica, Path app, int port, int managementPort,
        List<String> jvmOptions, Map<String, String> settings, Map<String, String> environment) {

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(app, "app");
        jvmOptions = List.copyOf(jvmOptions);
        settings = Map.copyOf(settings);
        environment = Map.copyOf(environment);
    }

    /** What every service process gets: DJL offline and untracked, OpenMP's threads asleep. */
    static final Map<String, String> OFFLINE = Map.of("DJL_OFFLINE", "true",
            "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE");

    /** The setting that names a Quarkus application's profile. */
    static final String PROFILE = "quarkus.profile";

    /**
     * The packaged {@code module} of the checkout at {@code root}, with a heap of {@code heap}
     * (e.g. {@code 1g}), a model process's flags ({@link ModelJvmFlags}), and DJL offline; its
     * management interface on a free port.
     */
    public static ServiceSpec packaged(Path root, String module, int port, String heap,
            Map<String, String> settings) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + heap));
        jvmOptions.addAll(ModelJvmFlags.FLAGS);
        return new ServiceSpec(module, module, packagedApp(root, module), port, Fleet.freePort(),
                jvmOptions, settings, OFFLINE);
    }

    /** This service with one more environment variable. */
    public ServiceSpec withEnvironment(String variable, String value) {
        return withEnvironment(Map.of(variable, value));
    }

    /**
     * This service with more environment variables: where secrets go (a Kafka user's password,
     * an API key), never into {@link #settings()}, which end up on the command line.
     */
    public ServiceSpec withEnvironment(Map<String, String> variables) {
        Map<String, String> more = new HashMap<>(environment);
        more.putAll(variables);
        return new ServiceSpec(name, replica, app, port, managementPort, jvmOptions, settings,
                more);
    }

    /**
     * This service started with the Quarkus profile {@code profile} ({@code -Dquarkus.profile}).
     * A key the profile sets in the packaged service is left out of {@link #settings()}: given
     * as a {@code -D} option, it would win over the profile's value (Quarkus compares config
     * sources before profiles), and the profile is the run's recipe.
     */
    public ServiceSpec withProfile(String profile) {
        Map<String, String> more = new HashMap<>(settings);
        more.keySet().removeAll(PackagedProfile.keys(app, profile));
        more.put(PROFILE, profile);
        return new ServiceSpec(name, replica, app, port, managementPort, jvmOptions, more,
                environment);
    }

    /**
     * This service as replica {@code index} of its stage: named {@code <service>-<index>}, with
     * {@code setting} (the service's replica-id key) set to that name.
     */
    public ServiceSpec asReplica(int index, String setting) {
        String id = name + "-" + index;
        Map<String, String> more = new HashMap<>(settings);
        more.put(setting, id);
        return new ServiceSpec(name, id, app, port, managementPort, jvmOptions, more,
                environment);
    }

    /** The service without its environment's values, which may be secrets. */
    @Override
    public String toString() {
        return "ServiceSpec[" + replica + ", " + app + ", port " + port + ", management port "
                + managementPort + ", " + jvmOptions + ", "
                + settings + ", environment " + new TreeSet<>(environment.keySet()) + "]";
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public static Path packagedApp(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
