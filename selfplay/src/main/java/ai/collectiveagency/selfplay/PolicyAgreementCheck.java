package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy as its own agreement judge: the {@code agreement} prompt (scenario and the latest
 * turns) answered greedily in a few tokens and read with {@link YesNoAnswer}. An unparseable
 * answer, or a judge prompt too long for the model, counts as not agreed.
 *
 * <p>The judge sees the same window of turns the speakers see (the last k, or all when k is 0):
 * whether the sides agree shows in their latest exchange, and it keeps the judge's prompt short.
 */
public final class PolicyAgreementCheck implements AgreementCheck {

    private final Policy policy;
    private final AgreementPrompt question;
    private final SamplingParams params;
    private final ContextBudget budget;
    private final ModelTimer timer;

    /**
     * @param contextTurns turns the judge sees (0: all)
     * @param maxTokens the judge's answer budget, a few tokens
     */
    public PolicyAgreementCheck(Policy policy, PromptTemplates templates, int contextTurns,
            int maxTokens) {
        this(policy, templates, contextTurns, maxTokens, new ModelTimer());
    }

    /** As above, the judge's generation calls timed by {@code timer}. */
    public PolicyAgreementCheck(Policy policy, PromptTemplates templates, int contextTurns,
            int maxTokens, ModelTimer timer) {
        this.timer = timer;
        this.policy = policy;
        this.question = new AgreementPrompt(templates, contextTurns);
        this.params = SamplingParams.greedy(maxTokens);
        this.budget = new ContextBudget(policy.model().config().maxPositions());
    }

    @Override
    public List<AgreementVerdict> check(List<Dialogue> dialogues) {
        AgreementVerdict[] verdicts = new AgreementVerdict[dialogues.size()];
        List<int[]> prompts = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < dialogues.size(); i++) {
            int[] prompt = policy.encodeChat(question.messages(dialogues.get(i)));
            if (budget.fits(prompt.length, params.maxNewTokens())) {
                prompts.add(prompt);
                asked.add(i);
            } else {
                verdicts[i] = new AgreementVerdict(false, "judge prompt of " + prompt.length
                        + " tokens does not fit the model's " + budget.maxPositions()
                        + " positions");
            }
        }
        if (!prompts.isEmpty()) {
            List<Generation> answers = timer.time(() -> policy.generate(prompts, params,
                    List.of()));
            for (int j = 0; j < answers.size(); j++) {
                String answer = policy.decode(answers.get(j).tokenIds());
                verdicts[asked.get(j)] = new AgreementVerdict(
                        YesNoAnswer.parse(answer).orElse(false), answer);
            }
        }
        return List.of(verdicts);
    }
}
