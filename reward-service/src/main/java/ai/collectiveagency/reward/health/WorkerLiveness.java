package ai.collectiveagency.reward.health;

import ai.collectiveagency.schemas.health.WorkerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * The service's worker threads in one liveness check, {@code worker-threads}: DOWN when any
 * {@link WorkerWatch} is (its thread died, or held work without progress too long), with each
 * watch's state as data. Every {@code WorkerWatch} bean is collected, so a worker joins the
 * check by producing its watch as a bean with a qualifier of its own:
 *
 * <pre>{@code
 * @Produces @Singleton @Identifier("scoring-stage")
 * WorkerWatch watch() { return watch; }
 * }</pre>
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {

    static final String NAME = "worker-threads";

    private final Instance<WorkerWatch> watches;

    WorkerLiveness(@Any Instance<WorkerWatch> watches) {
        this.watches = watches;
    }

    @Override
    public HealthCheckResponse call() {
        List<WorkerWatch> all = StreamSupport.stream(watches.spliterator(), false)
                .sorted(Comparator.comparing(WorkerWatch::name)).toList();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (WorkerWatch watch : all) {
            WorkerWatch.Status status = watch.status();
            response.withData(watch.name(), status.detail());
            if (!status.up()) {
                response.down();
            }
        }
        return response.build();
    }
}
