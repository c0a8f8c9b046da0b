package ai.collectiveagency.trainer.service;

import ai.collectiveagency.schemas.health.WorkerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once the training loop stopped on an error, its thread is gone, or it has had records or
 * a step in hand without progress for {@code trainer.health.stall-after}, so that Kubernetes
 * restarts the pod and the trainer resumes from its latest checkpoint.
 */
@Liveness
@ApplicationScoped
public class TrainerHealth implements HealthCheck {

    private final TrainerService service;

    TrainerHealth(TrainerService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        Throwable failure = service.failure();
        WorkerWatch.Status loop = service.loopStatus();
        return HealthCheckResponse.named("trainer-loop").status(loop.up())
                .withData("detail", loop.detail())
                .withData("error", failure == null ? "" : String.valueOf(failure)).build();
    }
}
