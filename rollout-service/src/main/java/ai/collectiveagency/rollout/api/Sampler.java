package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.sampling.GenerationObserver;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link GenerationJob} on the policy: encodes the prompts, checks that each fits the
 * model's context with its token budget (in {@code long}: a budget near 2^31 is refused, not
 * added), samples all choices in one batch (each from its own seed, so a choice does not depend
 * on its batch-mates) and builds the choices. A live stream's tokens go to its
 * {@link StreamListener} as they are sampled. The call stops at the next token once its
 * {@code control} says so ({@link GenerationCancelledException}). A
 * {@link ai.collectiveagency.rollout.serving.PolicyRunner} job: only the worker may call it.
 */
final class Sampler {

    private Sampler() {
    }

    static Sampled sample(ServedPolicy served, GenerationJob job, int defaultMaxTokens,
            GenerationObserver control, StreamListener listener) {
        requireGoOn(control);
        Policy policy = served.policy();
        int context = policy.model().config().maxPositions();
        List<int[]> prompts = new ArrayList<>();
        int longest = 0;
        int promptTokens = 0;
        for (GenerationJob.PromptSource source : job.prompts()) {
            int[] ids = source.encode(policy);
            prompts.add(ids);
            longest = Math.max(longest, ids.length);
            promptTokens += ids.length;
        }
        long maxTokens = job.maxTokens() != null ? job.maxTokens()
                : Math.min(defaultMaxTokens, context - longest);
        if (longest + Math.max(maxTokens, 1) > context) {
            throw ApiException.contextLength(longest, Math.max(maxTokens, 1), context);
        }
        List<int[]> batch = new ArrayList<>();
        for (int[] prompt : prompts) {
            for (int j = 0; j < job.n(); j++) {
                batch.add(prompt);
            }
        }
        GenerationObserver observer = control;
        if (listener != null) {
            listener.admitted(new Admission(served.version(), served.modelName(), batch));
            observer = new LiveStream(policy, job, control, listener);
        }
        SamplingParams params = new SamplingParams((int) maxTokens, job.temperature(),
                job.topP(), 0, 0);
        List<Generation> generations = policy.generate(batch, params, job.seeds(), job.stops(),
                observer);
        // A live stream made its pieces as it went; the answer needs them otherwise.
        boolean listPieces = !job.live() && (job.logprobs() || job.stream());
        List<SampledChoice> choices = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            requireGoOn(control); // top log-probs cost a pass per choice
            int prompt = k / job.n();
            choices.add(SampledChoice.of(policy, prompt, prompts.get(prompt), generations.get(k),
                    job, listPieces));
        }
        return new Sampled(served.version(), served.modelName(), promptTokens, choices);
    }

    private static void requireGoOn(GenerationObserver control) {
        if (control.cancelled()) {
            throw new GenerationCancelledException(0);
        }
    }

    /** Feeds each sampled token to its choice's {@link StreamedChoice}, the result onward. */
    private static final class LiveStream implements GenerationObserver {

        private final GenerationObserver control;
        private final StreamListener listener;
        private final StreamedChoice[] choices;

        LiveStream(Policy policy, GenerationJob job, GenerationObserver control,
                StreamListener listener) {
            this.control = control;
            this.listener = listener;
            this.choices = new StreamedChoice[job.choices()];
            for (int i = 0; i < choices.length; i++) {
                choices[i] = new StreamedChoice(policy, job.stops());
            }
        }

        @Override
        public boolean cancelled() {
            return control.cancelled();
        }

        @Override
        public void token(int sequence, int tokenId, float logprob, FinishReason finish) {
            for (Delta delta : choices[sequence].add(tokenId, logprob, finish)) {
                listener.released(sequence, delta);
            }
        }
    }
}
