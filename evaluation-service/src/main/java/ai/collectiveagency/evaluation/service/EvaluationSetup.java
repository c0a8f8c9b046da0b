package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.evaluation.protocol.EvaluationProtocol;
import ai.collectiveagency.evaluation.run.EvaluationPlan;
import ai.collectiveagency.evaluation.run.Judges;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.pairwise.PairJudge;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link EvaluationConfig} checked and turned into the parts of the service: every setting that
 * cannot work stops start-up with its key and what is wrong, all problems at once.
 */
final class EvaluationSetup {

    static final String PUBLIC_KEYS = "evaluation.checkpoints.public-keys";
    static final String STORE_ROOT = "evaluation.checkpoints.store-root";

    private final EvaluationConfig config;
    private EvaluationPlan plan; // read once: its sets are files

    EvaluationSetup(EvaluationConfig config) {
        this.config = config;
    }

    /** @throws IllegalArgumentException listing every setting that cannot work */
    void requireValid() {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(config.model().resolve("config.json"))) {
            problems.add("evaluation.model must name a model folder (config.json, weights,"
                    + " tokenizer), was " + config.model());
        }
        if (config.checkpoints().publicKeys().map(List::isEmpty).orElse(true)) {
            problems.add(PUBLIC_KEYS + " is not set: name the trainer's public key file(s)"
                    + " (./pipeline keygen makes a pair)");
        }
        if (config.checkpoints().storeRoot().isEmpty()) {
            problems.add(STORE_ROOT + " is not set: name the checkpoint store as mounted here"
                    + " (the trainer's trainer.store)");
        }
        if (config.tasksPerSet() < 1) {
            problems.add("evaluation.tasks-per-set must be at least 1, was "
                    + config.tasksPerSet());
        }
        if (config.batchSize() < 1) {
            problems.add("evaluation.batch-size must be at least 1, was " + config.batchSize());
        }
        try {
            plan();
        } catch (IllegalArgumentException e) {
            problems.add("evaluation.sets / evaluation.decodings: " + e.getMessage());
        }
        try {
            protocol();
        } catch (IllegalArgumentException e) {
            problems.add("evaluation.protocol: " + e.getMessage());
        }
        EvaluationConfig.Judge judge = config.judge();
        if (judge.baseUrl().isPresent() && judge.model().isEmpty()) {
            problems.add("evaluation.judge.model is not set: a judge at evaluation.judge.base-url"
                    + " needs its model name");
        }
        judge.insecureKey("evaluation.judge").ifPresent(problems::add);
        if (!(judge.tieMargin() >= 0)) {
            problems.add("evaluation.judge.tie-margin must be >= 0, was " + judge.tieMargin());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  "
                    + String.join("\n  ", problems));
        }
    }

    EvaluationPlan plan() {
        if (plan == null) {
            plan = EvaluationPlan.of(config.sets(), config.tasksPerSet(), config.decodings());
        }
        return plan;
    }

    EvaluationProtocol protocol() {
        EvaluationConfig.Protocol p = config.protocol();
        return EvaluationProtocol.of(p.maxTurns(), p.contextTurns(), p.temperature(),
                p.resolutionTemperature(), p.topP(), p.turnTokens(), p.resolutionTokens(),
                p.agreementTokens());
    }

    TrustedKeys keys() {
        try {
            return TrustedKeys.fromPem(config.checkpoints().publicKeys().orElseThrow());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PUBLIC_KEYS + ": " + e.getMessage(), e);
        }
    }

    LocalDirectoryStore store() {
        Path root = config.checkpoints().storeRoot().orElseThrow();
        try {
            return LocalDirectoryStore.under(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STORE_ROOT + ": " + e.getMessage(), e);
        }
    }

    /** The LLM judge when {@code evaluation.judge.base-url} is set, else the embedded scorer. */
    Function<TaskMode, PairJudge> judges(Scorer embedded) {
        EvaluationConfig.Judge judge = config.judge();
        if (judge.baseUrl().isEmpty()) {
            return Judges.offline(embedded, judge.tieMargin());
        }
        ChatGuard defaults = ChatGuard.defaults();
        return Judges.llm(judge.endpoint(), new ChatGuard(judge.timeout(), judge.maxRetries(),
                defaults.retryDelay(), defaults.circuitWindow(), defaults.failureRatio(),
                defaults.circuitDelay()));
    }
}
