package ai.collectiveagency.rollout.serving;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.rollout.config.RolloutConfigChecks;
import ai.collectiveagency.selfplay.ModelName;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Loads the base model named by {@code rollout.model} at start-up (a bad folder stops start-up
 * with the path and what is wrong) and makes the {@link PolicyRunner} that serves it as
 * version 0 until a checkpoint is adopted.
 */
@ApplicationScoped
public class PolicyRunnerFactory {

    private static final System.Logger LOG = System.getLogger(PolicyRunnerFactory.class.getName());

    @Produces
    @Singleton
    @Startup
    PolicyRunner runner(RolloutConfig config) {
        RolloutConfigChecks.requireValid(config);
        long start = System.nanoTime();
        // Remote generation samples on the engines: this process encodes and decodes only, so
        // a 7B base costs it its tokenizer, not its weights.
        boolean remote = config.generation() == RolloutConfig.Generation.REMOTE;
        Policy policy = remote ? Policy.withoutWeights(config.model())
                : Policy.load(config.model());
        String name = config.modelName().orElseGet(() -> ModelName.of(config.model()));
        LOG.log(System.Logger.Level.INFO, "loaded " + name + " from " + config.model()
                + (remote ? " without its weights (rollout.generation=remote)" : "") + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        return new PolicyRunner(new ServedPolicy(policy, 0, name));
    }

    void close(@Disposes PolicyRunner runner) throws InterruptedException {
        runner.close();
    }
}
