package ai.collectiveagency.demo.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service to run as a process: its packaged Quarkus app, its HTTP port (health at
 * {@code /q/health/ready}), JVM options, settings as system properties, extra environment.
 */
public record ServiceSpec(String name, Path app, int port, List<String> jvmOptions,
        Map<String, String> settings, Map<String, String> environment) {

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(app, "app");
        jvmOptions = List.copyOf(jvmOptions);
        settings = Map.copyOf(settings);
        environment = Map.copyOf(environment);
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public static Path packagedApp(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
