package ai.collectiveagency.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once the training loop stopped on an error, so that Kubernetes restarts the pod and the
 * trainer resumes from its latest checkpoint.
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
        return HealthCheckResponse.named("trainer-loop").status(failure == null)
                .withData("error", failure == null ? "" : String.valueOf(failure)).build();
    }
}
