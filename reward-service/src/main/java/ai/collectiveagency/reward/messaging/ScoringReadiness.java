package ai.collectiveagency.reward.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the scoring stage is registered with the broker and reading groups. */
@Readiness
@ApplicationScoped
public class ScoringReadiness implements HealthCheck {

    private final ScoringStage stage;

    ScoringReadiness(ScoringStage stage) {
        this.stage = stage;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scoring-stage").status(stage.ready()).build();
    }
}
