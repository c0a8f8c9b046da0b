package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Samples a group of G trajectories for each task, all tasks' trajectories in lockstep.
 *
 * <p>NEGOTIATION: the policy plays persona A and persona B, A first, alternating, at most T turns.
 * Each turn of every still-negotiating trajectory is one batched generation; after it, every
 * dialogue that has reached {@link NegotiationSettings#agreementFromTurn()} turns (by default
 * every one, after its opening turn too) goes to the {@link AgreementCheck} in one batch. An
 * agreed dialogue stops; once no dialogue is left, persona A writes the resolution of every agreed
 * one, again in one batch. A dialogue still open after T turns, or whose next prompt no longer fits
 * the model's context, ends failed without a resolution, unless
 * {@link NegotiationSettings#resolveAlways()} (evaluation): then every dialogue is resolved.
 * Under {@link Reasoning.Mode#ASYNC} the listening persona thinks in each turn's call and its
 * next prompt carries the thoughts ({@link AsyncTurn}). SINGLE: one batched answer per
 * trajectory. Every sequence has its own seed ({@link SequenceSeeds}), so a group does not depend
 * on what else shared its batches.
 *
 * <pre>{@code
 * SelfPlay selfPlay = SelfPlay.builder().setPolicy(policy)
 *         .setModelName(ModelName.of(folder)).build();
 * List<RolloutGroup> groups = selfPlay.rollout(tasks, policyVersion);
 * }</pre>
 */
public final class SelfPlay {

    private final Policy policy;
    private final GenerationEngine engine;
    private final String modelName;
    private final NegotiationSettings settings;
    private final Perspective perspective;
    private final ClosingPrompts closing;
    private final AgreementCheck agreementCheck;
    private final Clock clock;
    private final ContextBudget budget;
    private final ModelTimer timer;
    private final TextTimer textTimer;
    private final AsyncTurn asyncTurn;

    private SelfPlay(Builder builder, PromptTemplates templates, AgreementCheck agreementCheck) {
        this.policy = builder.policy;
        this.engine = builder.engine != null ? builder.engine : GenerationEngine.local(policy);
        this.modelName = builder.modelName;
        this.settings = builder.settings;
        this.perspective = new Perspective(templates, settings.contextTurns());
        this.closing = new ClosingPrompts(templates);
        this.agreementCheck = agreementCheck;
        this.clock = builder.clock;
        this.budget = new ContextBudget(policy.maxPositions());
        this.timer = builder.timer;
        this.textTimer = builder.textTimer;
        this.asyncTurn = settings.reasoning().isAsync() ? new AsyncTurn(policy, engine, timer,
                textTimer, budget, settings, new ThoughtPrompts(policy, templates, perspective))
                : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public NegotiationSettings settings() {
        return settings;
    }

    /**
     * Checks that the task's first prompt and its token budget fit the model's context.
     *
     * @throws TaskTooLongException when they do not
     */
    public void admit(PromptTask task) {
        admit(task, new RolloutPrompts(policy));
    }

    private void admit(PromptTask task, RolloutPrompts prompts) {
        boolean single = task.getMode() == TaskMode.SINGLE;
        int[] prompt = textTimer.time(() -> prompts.encode(single ? closing.answer(task)
                : perspective.messages(Dialogue.start(task))));
        int maxTokens = (single ? settings.answer() : settings.dialogue()).maxTokens();
        if (!budget.fits(prompt.length, maxTokens)) {
            throw new TaskTooLongException(task.getTaskId(), prompt.length, maxTokens,
                    budget.maxPositions());
        }
    }

    /**
     * One group per task, in the order of {@code tasks}.
     *
     * @param policyVersion the version of the policy, recorded on every trajectory
     * @throws TaskTooLongException before any generation, for the first task that cannot fit
     */
    public List<RolloutGroup> rollout(List<PromptTask> tasks, long policyVersion) {
        RolloutPrompts prompts = new RolloutPrompts(policy);
        tasks.forEach(task -> admit(task, prompts));
        List<List<TrajectoryRun>> groups = new ArrayList<>();
        List<TrajectoryRun> negotiations = new ArrayList<>();
        List<TrajectoryRun> answers = new ArrayList<>();
        for (PromptTask task : tasks) {
            List<TrajectoryRun> group = new ArrayList<>();
            for (int i = 0; i < settings.groupSize(); i++) {
                group.add(new TrajectoryRun(task, i));
            }
            groups.add(group);
            (task.getMode() == TaskMode.SINGLE ? answers : negotiations).addAll(group);
        }
        negotiate(negotiations, prompts);
        generate(prompts, answers, run -> closing.answer(run.task()), settings.answer(), 0,
                (run, prompt, generation, text) -> run.addClosingTurn(Segment.ANSWER, prompt,
                        generation, text, settings.answer()));
        return groups.stream().map(group -> toGroup(group, policyVersion)).toList();
    }

    private void negotiate(List<TrajectoryRun> runs, RolloutPrompts prompts) {
        List<TrajectoryRun> open = runs;
        for (int turn = 0; turn < settings.maxTurns() && !open.isEmpty(); turn++) {
            List<TrajectoryRun> spoke = asyncTurn != null ? asyncTurn.play(open, turn)
                    : generate(prompts, open, run -> perspective.messages(run.dialogue()),
                            settings.dialogue(), turn, (run, prompt, generation, text) ->
                                    run.addPersonaTurn(prompt, generation, text,
                                            settings.dialogue()));
            open = withoutAgreed(spoke);
        }
        List<TrajectoryRun> resolved = settings.resolveAlways() ? runs
                : runs.stream().filter(TrajectoryRun::agreed).toList();
        generate(prompts, resolved, run -> closing.resolution(run.dialogue()),
                settings.resolution(), settings.maxTurns(), (run, prompt, generation, text) ->
                        run.addClosingTurn(Segment.RESOLUTION, prompt, generation, text,
                                settings.resolution()));
    }

    /**
     * Checks the dialogues that have reached {@code agreementFromTurn} turns; returns those still
     * negotiating.
     */
    private List<TrajectoryRun> withoutAgreed(List<TrajectoryRun> spoke) {
        List<TrajectoryRun> checked = spoke.stream()
                .filter(run -> run.dialogue().turns().size() >= settings.agreementFromTurn())
                .toList();
        List<AgreementVerdict> verdicts = checked.isEmpty() ? List.of()
                : agreementCheck.check(checked.stream().map(TrajectoryRun::dialogue).toList());
        if (verdicts.size() != checked.size()) {
            throw new IllegalStateException("agreement check gave " + verdicts.size()
                    + " verdicts for " + checked.size() + " dialogues");
        }
        for (int i = 0; i < checked.size(); i++) {
            if (verdicts.get(i).agreed()) {
                checked.get(i).markAgreed();
            }
        }
        return spoke.stream().filter(run -> !run.agreed()).toList();
    }

    /**
     * One batched generation over the runs whose prompt fits the context; the others are left
     * out (their trajectory ends there).
     *
     * @param step the step index of each sequence's seed
     * @return the runs that generated, in order
     */
    private List<TrajectoryRun> generate(RolloutPrompts encoder, List<TrajectoryRun> runs,
            Function<TrajectoryRun, List<Message>> messages, TurnSampling sampling, int step,
            Completion completion) {
        List<TrajectoryRun> fitting = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        textTimer.time(() -> {
            for (TrajectoryRun run : runs) {
                int[] prompt = encoder.encode(messages.apply(run));
                if (budget.fits(prompt.length, sampling.maxTokens())) {
                    fitting.add(run);
                    prompts.add(prompt);
                }
            }
            return null;
        });
        if (fitting.isEmpty()) {
            return fitting;
        }
        long[] seeds = fitting.stream().mapToLong(run -> run.seed(step)).toArray();
        List<Generation> generations = timer.time(() -> engine.generate(prompts,
                sampling.params(), seeds));
        List<String> texts = textTimer.time(() -> generations.stream()
                .map(generation -> policy.decode(generation.tokenIds())).toList());
        for (int i = 0; i < fitting.size(); i++) {
            completion.accept(fitting.get(i), prompts.get(i), generations.get(i), texts.get(i));
        }
        return fitting;
    }

    private RolloutGroup toGroup(List<TrajectoryRun> runs, long policyVersion) {
        PromptTask task = runs.get(0).task();
        String groupId = task.getTaskId() + "-g";
        return RolloutGroup.newBuilder()
                .setTask(task)
                .setGroupId(groupId)
                .setCreatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setModel(modelName)
                .setTrajectories(runs.stream()
                        .map(run -> run.toTrajectory(groupId, policyVersion)).toList())
                .build();
    }

    /** What to do with one generated sequence. */
    private interface Completion {
        void accept(TrajectoryRun run, int[] prompt, Generation generation, String text);
    }

    /** Builds a {@link SelfPlay}: {@code set} values are required, {@code opt} ones optional. */
    public static final class Builder {

        private Policy policy;
        private GenerationEngine engine;
        private String modelName;
        private NegotiationSettings settings = NegotiationSettings.defaults();
        private PromptTemplates templates = PromptTemplates.defaults();
        private AgreementCheck agreementCheck;
        private Clock clock = Clock.systemUTC();
        private ModelTimer timer = new ModelTimer();
        private TextTimer textTimer = new TextTimer();

        private Builder() {}

        /** The policy that plays every side. */
        public Builder setPolicy(Policy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Where sampling runs; default {@link GenerationEngine#local} on the policy. The policy
         * still encodes prompts, decodes texts and bounds the context.
         */
        public Builder optEngine(GenerationEngine engine) {
            this.engine = engine;
            return this;
        }

        /** The model name groups record, e.g. {@link ModelName#of}. */
        public Builder setModelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** Default {@link NegotiationSettings#defaults()}. */
        public Builder optSettings(NegotiationSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Default {@link PromptTemplates#defaults()}. */
        public Builder optTemplates(PromptTemplates templates) {
            this.templates = templates;
            return this;
        }

        /** Default: the policy judges itself ({@link PolicyAgreementCheck}). */
        public Builder optAgreementCheck(AgreementCheck agreementCheck) {
            this.agreementCheck = agreementCheck;
            return this;
        }

        /** The clock of {@code created_at}; default UTC system time. */
        public Builder optClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Times every generation call (the default policy judge's too); default: a new one. */
        public Builder optModelTimer(ModelTimer timer) {
            this.timer = timer;
            return this;
        }

        /**
         * Times chat rendering, prompt encoding and text decoding (the default policy judge's
         * too); default: a new one.
         */
        public Builder optTextTimer(TextTimer textTimer) {
            this.textTimer = textTimer;
            return this;
        }

        public SelfPlay build() {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(modelName, "model name");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(templates, "templates");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(timer, "timer");
            Objects.requireNonNull(textTimer, "text timer");
            GenerationEngine sampling = engine != null ? engine : GenerationEngine.local(policy);
            AgreementCheck check = agreementCheck != null ? agreementCheck
                    : new PolicyAgreementCheck(policy, sampling, templates,
                            settings.contextTurns(), settings.agreementMaxTokens(), timer,
                            textTimer);
            return new SelfPlay(this, templates, check);
        }
    }
}
