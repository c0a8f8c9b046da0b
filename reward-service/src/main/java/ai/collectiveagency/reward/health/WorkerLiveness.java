package ai.collectiveagency.reward.health;

import ai.collectiveagency.schemas.health.WorkerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when any worker thread of the service has died or holds work without progress
 * ({@link WorkerWatch}), so that the orchestrator restarts the process. A worker joins by
 * producing its {@code WorkerWatch} as a bean (any qualifier).
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {

    private final Instance<WorkerWatch> watches;

    WorkerLiveness(@Any Instance<WorkerWatch> watches) {
        this.watches = watches;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("workers").up();
        for (WorkerWatch watch : watches) {
            WorkerWatch.Status status = watch.status();
            response.withData(watch.name(), status.detail());
            if (!status.up()) {
                response.down();
            }
        }
        return response.build();
    }
}
