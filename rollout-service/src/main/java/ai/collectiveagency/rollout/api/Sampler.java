package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.sampling.GenerationObserver;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link GenerationJob}, or several compatible ones, on the policy: encodes the prompts,
 * checks that each fits the model's context with its token budget, samples all choices in one
 * batch (each from its own seed, so a choice does not depend on its batch-mates) and builds the
 * choices. A live stream's tokens go to its
 * {@link StreamListener} as they are sampled. The call stops at the next token once its
 * {@code control} says so ({@link GenerationCancelledException}). A
 * {@link ai.collectiveagency.rollout.serving.PolicyRunner} job: only the worker may call it.
 */
final class Sampler {

    private Sampler() {
    }

    /** A job's prompts encoded and its budget settled, or why it cannot run. */
    private record Prepared(GenerationJob job, List<int[]> prompts, int promptTokens,
            int maxTokens) {
    }

    /** The answer to one job of a batch: its choices, or why it has none. */
    record Outcome(Sampled sampled, RuntimeException error) {
    }

    static Sampled sample(ServedPolicy served, GenerationJob job, int defaultMaxTokens,
            GenerationObserver control, StreamListener listener) {
        requireGoOn(control);
        Policy policy = served.policy();
        Prepared prepared = prepare(policy, job, defaultMaxTokens);
        List<int[]> batch = sequences(prepared);
        GenerationObserver observer = control;
        if (listener != null) {
            listener.admitted(new Admission(served.version(), modelName(served, job), batch));
            observer = new LiveStream(policy, job, control, listener);
        }
        List<Generation> generations = policy.generate(batch, params(prepared), job.seeds(),
                job.stops(), job.stopTokenIds(), observer);
        return answer(served, prepared, generations, control);
    }

    /**
     * Samples jobs that share their {@link GenerationJob#batchKey()} in one
     * {@code policy.generate} call: each choice from its own seed, so each job's answer is what
     * it would be alone. A job whose prompts do not fit the context, or whose control stopped
     * it, gets its error; the others are sampled. The call stops once {@code control} says so.
     */
    static List<Outcome> sampleAll(ServedPolicy served, List<GenerationJob> jobs,
            List<? extends GenerationObserver> controls, int defaultMaxTokens,
            GenerationObserver control) {
        Policy policy = served.policy();
        Prepared[] prepared = new Prepared[jobs.size()];
        Outcome[] outcomes = new Outcome[jobs.size()];
        List<int[]> batch = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            try {
                requireGoOn(controls.get(j));
                prepared[j] = prepare(policy, jobs.get(j), defaultMaxTokens);
                batch.addAll(sequences(prepared[j]));
                for (long seed : jobs.get(j).seeds()) {
                    seeds.add(seed);
                }
            } catch (RuntimeException e) {
                outcomes[j] = new Outcome(null, e);
            }
        }
        if (!batch.isEmpty()) {
            Prepared first = Arrays.stream(prepared).filter(Objects::nonNull)
                    .findFirst().orElseThrow();
            List<Generation> generations = policy.generate(batch, params(first),
                    seeds.stream().mapToLong(Long::longValue).toArray(), first.job().stops(),
                    first.job().stopTokenIds(), control);
            int from = 0;
            for (int j = 0; j < jobs.size(); j++) {
                if (prepared[j] == null) {
                    continue;
                }
                int count = prepared[j].job().choices();
                try {
                    outcomes[j] = new Outcome(answer(served, prepared[j],
                            generations.subList(from, from + count), controls.get(j)), null);
                } catch (RuntimeException e) {
                    outcomes[j] = new Outcome(null, e);
                }
                from += count;
            }
        }
        return List.of(outcomes);
    }

    /**
     * Encodes the prompts and checks that each fits the model's context with its token budget
     * (in {@code long}: a budget near 2^31 is refused, not added).
     */
    private static Prepared prepare(Policy policy, GenerationJob job, int defaultMaxTokens) {
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
        return new Prepared(job, prompts, promptTokens, (int) maxTokens);
    }

    /** Each prompt {@code n} times, prompt-major. */
    private static List<int[]> sequences(Prepared prepared) {
        List<int[]> batch = new ArrayList<>();
        for (int[] prompt : prepared.prompts()) {
            for (int j = 0; j < prepared.job().n(); j++) {
                batch.add(prompt);
            }
        }
        return batch;
    }

    private static SamplingParams params(Prepared prepared) {
        GenerationJob job = prepared.job();
        return new SamplingParams(prepared.maxTokens(), job.temperature(), job.topP(), 0, 0);
    }

    private static Sampled answer(ServedPolicy served, Prepared prepared,
            List<Generation> generations, GenerationObserver control) {
        GenerationJob job = prepared.job();
        Policy policy = served.policy();
        // A live stream made its pieces as it went; the answer needs them otherwise.
        boolean listPieces = !job.live() && (job.logprobs() || job.stream());
        List<SampledChoice> choices = new ArrayList<>();
        for (int k = 0; k < generations.size(); k++) {
            requireGoOn(control); // top log-probs cost a pass per choice
            int prompt = k / job.n();
            choices.add(SampledChoice.of(policy, prompt, prepared.prompts().get(prompt),
                    generations.get(k), job, listPieces));
        }
        return new Sampled(served.version(), modelName(served, job), prepared.promptTokens(),
                choices);
    }

    /** The name the answer gives: the adapter's, else the served model's. */
    private static String modelName(ServedPolicy served, GenerationJob job) {
        return job.adapter() != null ? job.adapter() : served.modelName();
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
