package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.schemas.health.WorkerWatch;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code evaluation-worker}: DOWN when the worker thread died, or held an evaluation without
 * progress for longer than a batch can take.
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {

    private final WorkerWatch watch;

    WorkerLiveness(@Identifier(EvaluationService.WATCH) WorkerWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        WorkerWatch.Status status = watch.status();
        return HealthCheckResponse.named(EvaluationService.WATCH).status(status.up())
                .withData("state", status.detail()).build();
    }
}
