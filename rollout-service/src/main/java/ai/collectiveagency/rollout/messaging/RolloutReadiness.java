package ai.collectiveagency.rollout.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the rollout stage is registered with the broker and reading tasks. */
@Readiness
@ApplicationScoped
public class RolloutReadiness implements HealthCheck {

    private final RolloutStage stage;

    RolloutReadiness(RolloutStage stage) {
        this.stage = stage;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rollout-stage").status(stage.ready()).build();
    }
}
