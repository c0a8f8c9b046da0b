package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.reasoning.AsyncReasoner;
import ai.collectiveagency.policy.reasoning.ReasoningIds;
import ai.collectiveagency.policy.reasoning.ReasoningListener;
import ai.collectiveagency.policy.reasoning.ReasoningResult;
import ai.collectiveagency.policy.reasoning.ReasoningSchedule;
import ai.collectiveagency.policy.reasoning.ReasoningSettings;
import ai.collectiveagency.policy.reasoning.ReasoningSettings.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Asynchronous reasoning against think-then-answer at fixed token budgets: the thinker writes T
 * tokens and the writer W in both modes (their end tokens are forbidden so the budgets are spent
 * exactly, and W must exceed T minus the check interval, since an answer that ends also ends the
 * thinking), greedy, on the same block decoder. Asynchronous: the thinker is asked every
 * {@code checkInterval} tokens and the answer is taken as yes ({@link Checks#ALWAYS_WRITE}: the
 * question is computed, so its cost is in the figures, but an untrained model's answer would
 * only measure its randomness). Think-then-answer: the writer starts after all T thoughts.
 *
 * <p>Time to first token runs from opening the run (both prompts prefilled) to the writer's first
 * sampled token; total time to the last token. Each mode runs {@code repeats} times after a
 * warm-up of both, and the median of each figure is reported.
 *
 * @param thinkerTokens T
 * @param writerTokens  W
 * @param repeats       timed runs per mode
 */
public record AsyncReasoningBenchmark(int thinkerTokens, int writerTokens, int repeats) {

    public AsyncReasoningBenchmark {
        if (thinkerTokens < 1 || writerTokens < 1 || repeats < 1) {
            throw new IllegalArgumentException("thinker tokens, writer tokens and repeats must be"
                    + " at least 1, got " + thinkerTokens + ", " + writerTokens + ", " + repeats);
        }
    }

    /**
     * Measures both modes on {@code weights}.
     *
     * @param ids the run's prompts and ids; their end ids are forbidden to both streams
     * @param model a label for the report
     */
    public Map<String, Object> run(DecodeWeights weights, ReasoningIds ids, String model) {
        int interval = ids.vocabulary().checkInterval();
        if (writerTokens <= thinkerTokens - interval) {
            throw new IllegalArgumentException("the writer's " + writerTokens + " tokens must be"
                    + " more than the thinker's " + thinkerTokens + " minus the check interval "
                    + interval + ": otherwise the asynchronous writer ends the run before the"
                    + " thinker has spent its budget");
        }
        AsyncReasoner reasoner = new AsyncReasoner(
                new BlockDecoder(weights, new PanelMatmul(ParallelRange.shared())), null);
        Set<Integer> ends = new HashSet<>(ids.vocabulary().endOfThoughtsIds());
        ends.addAll(ids.vocabulary().endOfSequenceIds());
        ReasoningSettings base = ReasoningSettings.greedy(thinkerTokens, writerTokens)
                .withForbidden(ends, ends);
        ReasoningSettings async = base.withChecks(Checks.ALWAYS_WRITE);
        ReasoningSettings sequential = base.withChecks(Checks.THINK_THEN_ANSWER);
        ReasoningSettings warmup = ReasoningSettings.greedy(Math.min(thinkerTokens, 40),
                Math.min(writerTokens, 20)).withForbidden(ends, ends);
        reasoner.run(reasoner.open(ids, warmup.withChecks(Checks.ALWAYS_WRITE),
                ReasoningListener.NONE), ReasoningListener.NONE);
        reasoner.run(reasoner.open(ids, warmup.withChecks(Checks.THINK_THEN_ANSWER),
                ReasoningListener.NONE), ReasoningListener.NONE);

        List<Timing> asyncRuns = new ArrayList<>();
        List<Timing> sequentialRuns = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            asyncRuns.add(time(reasoner, ids, async));
            sequentialRuns.add(time(reasoner, ids, sequential));
        }
        Timing a = Timing.median(asyncRuns);
        Timing s = Timing.median(sequentialRuns);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", CpuFeatures.detect().toMap());
        out.put("model", model);
        out.put("prompt_tokens", ids.thinkerPrompt().length);
        out.put("check_interval", ids.vocabulary().checkInterval());
        out.put("repeats", repeats);
        out.put("async", a.report(thinkerTokens, writerTokens));
        out.put("sequential", s.report(thinkerTokens, writerTokens));
        out.put("ttft_ratio", round(s.ttft / a.ttft));
        out.put("total_ratio", round(a.total / s.total));
        out.put("ttft_async_s", round(a.ttft));
        out.put("ttft_sequential_s", round(s.ttft));
        out.put("total_async_s", round(a.total));
        out.put("total_sequential_s", round(s.total));
        out.put("writer_tokens", a.result.answerIds().length);
        out.put("thinker_tokens", a.result.thoughtIds().length);
        return out;
    }

    /**
     * Ids for a model without a tokenizer (the random bench model): random prompt tokens of the
     * shipped prompts' size, and ids 1 and 2 as yes and no. No token is a paragraph end, so the
     * thinker is asked every {@code checkInterval} tokens and the writer never pauses.
     */
    public static ReasoningIds syntheticIds(int vocab, int checkInterval) {
        SplittableRandom random = new SplittableRandom(19);
        int end = 0;
        return new ReasoningIds(randomIds(random, vocab, 160), randomIds(random, vocab, 150),
                randomIds(random, vocab, 6), randomIds(random, vocab, 6),
                randomIds(random, vocab, 24), 1, 2,
                new ReasoningSchedule.Vocabulary(Set.of(), Set.of(end), Set.of(end),
                        checkInterval),
                Set.of(), Set.of());
    }

    private static int[] randomIds(SplittableRandom random, int vocab, int count) {
        return random.ints(count, 3, vocab).toArray();
    }

    private Timing time(AsyncReasoner reasoner, ReasoningIds ids, ReasoningSettings settings) {
        long[] firstWord = {0};
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void wrote(int id, float logprob) {
                if (firstWord[0] == 0) {
                    firstWord[0] = System.nanoTime();
                }
            }
        };
        long start = System.nanoTime();
        ReasoningResult result = reasoner.run(reasoner.open(ids, settings, listener), listener);
        long end = System.nanoTime();
        if (result.thoughtIds().length != thinkerTokens
                || result.answerIds().length != writerTokens) {
            throw new IllegalStateException("the budgets were not spent: " + result.thoughtIds()
                    .length + " thinker and " + result.answerIds().length + " writer tokens");
        }
        return new Timing((firstWord[0] - start) / 1e9, (end - start) / 1e9, result);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** One run's times in seconds. */
    private record Timing(double ttft, double total, ReasoningResult result) {

        static Timing median(List<Timing> runs) {
            Timing[] sorted = runs.toArray(new Timing[0]);
            Arrays.sort(sorted, (x, y) -> Double.compare(x.total, y.total));
            double[] ttfts = runs.stream().mapToDouble(Timing::ttft).sorted().toArray();
            Timing middle = sorted[sorted.length / 2];
            return new Timing(ttfts[ttfts.length / 2], middle.total, middle.result);
        }

        Map<String, Object> report(int thinkerTokens, int writerTokens) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ttft_s", round(ttft));
            out.put("total_s", round(total));
            out.put("tokens_per_s", round((thinkerTokens + writerTokens) / total));
            out.put("thinker_tokens_per_s", round(thinkerTokens / total));
            out.put("writer_tokens_per_s", round(writerTokens / (total - ttft)));
            out.put("steps", result.steps());
            out.put("joint_steps", result.jointSteps());
            out.put("checks", result.checks());
            return out;
        }
    }
}
