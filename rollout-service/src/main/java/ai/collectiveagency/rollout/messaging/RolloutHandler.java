package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.rollout.config.AgreementChecks;
import ai.collectiveagency.rollout.remote.EngineAdapters;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.selfplay.GenerationEngine;
import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.selfplay.SelfPlay;
import ai.collectiveagency.selfplay.TaskTooLongException;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.kafka.stage.BatchHandler;
import ai.collectiveagency.schemas.kafka.stage.Input;
import ai.collectiveagency.schemas.kafka.stage.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Rolls a batch of tasks out together on the {@link PolicyRunner} (one lockstep
 * {@link SelfPlay} batch on the policy it serves now) and answers each task with its group,
 * keyed by task id, for the rollouts topic. A task that cannot fit the model's context is a
 * dead letter with the token counts; a model failure fails the batch, and the stage then tries
 * each task alone, so one bad task does not take the others with it.
 */
final class RolloutHandler implements BatchHandler<PromptTask> {

    private final PolicyRunner runner;
    private final NegotiationSettings settings;
    private final PromptTemplates templates;
    private final AgreementChecks agreementChecks;
    private final RemoteEngines remote;
    private final String rolloutsTopic;
    private final Serializer<RolloutGroup> serializer;
    private final RolloutMeters meters;

    RolloutHandler(PolicyRunner runner, NegotiationSettings settings, PromptTemplates templates,
            AgreementChecks agreementChecks, RemoteEngines remote, String rolloutsTopic,
            Serializer<RolloutGroup> serializer, RolloutMeters meters) {
        this.runner = runner;
        this.settings = settings;
        this.templates = templates;
        this.agreementChecks = agreementChecks;
        this.remote = remote;
        this.rolloutsTopic = rolloutsTopic;
        this.serializer = serializer;
        this.meters = meters;
    }

    @Override
    public List<Outcome> handle(List<Input<PromptTask>> batch) throws Exception {
        try {
            return runner.submit(policy -> sample(policy, batch)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Runs on the policy worker, so the version cannot change under it: with remote generation
     * the batch holds its version's model on the engines until it is done.
     */
    private List<Outcome> sample(ServedPolicy policy, List<Input<PromptTask>> batch) {
        if (!remote.enabled()) {
            return sample(policy, GenerationEngine.local(policy.policy()), batch);
        }
        try (EngineAdapters.Lease lease = remote.lease(policy.version())) {
            return sample(policy, remote.engine(lease, policy.policy().endOfSequence()), batch);
        }
    }

    /** Admits each task, rolls the admitted ones out together on {@code engine}. */
    private List<Outcome> sample(ServedPolicy policy, GenerationEngine engine,
            List<Input<PromptTask>> batch) {
        SelfPlay selfPlay = SelfPlay.builder().setPolicy(policy.policy()).optEngine(engine)
                .setModelName(policy.modelName()).optSettings(settings).optTemplates(templates)
                .optAgreementCheck(agreementChecks.forPolicy(policy.policy(), engine)).build();
        Outcome[] outcomes = new Outcome[batch.size()];
        List<PromptTask> admitted = new ArrayList<>();
        List<Integer> admittedAt = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                selfPlay.admit(batch.get(i).value());
                admitted.add(batch.get(i).value());
                admittedAt.add(i);
            } catch (TaskTooLongException e) {
                meters.tooLong();
                outcomes[i] = new Outcome.DeadLetter(e.getMessage(), e);
            }
        }
        if (!admitted.isEmpty()) {
            long started = System.nanoTime();
            List<RolloutGroup> groups = selfPlay.rollout(admitted, policy.version());
            meters.batchTook(System.nanoTime() - started);
            for (int i = 0; i < groups.size(); i++) {
                outcomes[admittedAt.get(i)] = emit(groups.get(i));
            }
        }
        return List.of(outcomes);
    }

    private Outcome emit(RolloutGroup group) {
        String taskId = group.getTask().getTaskId();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(rolloutsTopic, taskId,
                serializer.serialize(rolloutsTopic, group));
        return new Outcome.Emit(List.of(record), () -> meters.sent(group));
    }
}
