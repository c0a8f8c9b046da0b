package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.decode.blocks.BlockView;
import ai.collectiveagency.policy.decode.blocks.KvBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One asynchronous-reasoning run as a sequence of batched steps, so that a caller can put the
 * rows of several runs into one {@link BlockDecoder#step}: {@link #nextRows()} samples the next
 * token of each stream the {@link ReasoningSchedule} lets run (asking the thinker's question and
 * prefilling heard text first when due) and returns their rows; {@link #accept} takes the step's
 * logits for those rows. {@link AsyncReasoner#run} is the loop for a single run.
 *
 * <p>Not thread-safe, except {@link #hear}, which any thread may call while the run decodes.
 */
public final class ReasoningSession {

    private final BlockDecoder decoder;
    private final ReasoningIds ids;
    private final ReasoningSettings settings;
    private final ReasoningListener listener;
    private final ReasoningBlocks blocks;
    private final StreamSampler thinkerSampler;
    private final StreamSampler writerSampler;
    private final Queue<int[]> heard = new ConcurrentLinkedQueue<>();
    private final TokenTrace thoughts = new TokenTrace();
    private final TokenTrace answer = new TokenTrace();
    private ReasoningSchedule schedule;
    private float[] thinkerLogits;
    private float[] writerLogits; // null until the writer's split is prefilled
    private int thinkerRow = -1; // rows of the last nextRows(), -1 when absent
    private int writerRow = -1;
    private boolean closeThoughtsAfterStep;
    private boolean thoughtsClosed;
    private boolean answerStopped;
    private int checks;
    private int writeAnswers;
    private int steps;
    private int jointSteps;

    ReasoningSession(BlockDecoder decoder, ReasoningIds ids, ReasoningSettings settings,
            ReasoningListener listener) {
        this.decoder = decoder;
        this.ids = ids;
        this.settings = settings;
        this.listener = listener;
        int vocab = decoder.config().vocabSize();
        this.thinkerSampler = new StreamSampler(settings.sampling(settings.seed()), vocab,
                union(ids.thinkerForbidden(), settings.thinkerForbidden()));
        this.writerSampler = new StreamSampler(settings.sampling(settings.seed() + 1), vocab,
                union(ids.writerForbidden(), settings.writerForbidden()));
        this.blocks = new ReasoningBlocks(decoder);
        int limit = decoder.config().maxPositions();
        long needed = ids.positionsNeeded(settings.thinkerBudget(), settings.writerBudget());
        if (needed > limit) {
            throw new IllegalArgumentException("the prompt (" + ids.thinkerPrompt().length
                    + " tokens), the separators and question, and the budgets (thinker "
                    + settings.thinkerBudget() + ", writer " + settings.writerBudget()
                    + ") need up to " + needed + " positions; the model has " + limit);
        }
        decoder.prefill(BlockView.of(blocks.thinkerPrompt), blocks.thinkerPrompt,
                ids.thinkerPrompt());
        decoder.prefill(BlockView.of(blocks.writerPrompt), blocks.writerPrompt,
                ids.writerPrompt());
        thinkerLogits = decoder.prefill(blocks.thinkerView(), blocks.thinkerSplit,
                ids.thinkerSplit());
        schedule = ReasoningSchedule.start(ids.vocabulary());
        if (settings.thinkerBudget() == 0) {
            schedule = schedule.closeThoughts();
        }
    }

    /**
     * Adds a block of heard text ({@link ReasoningText#heard}) at the next step, prefilled in the
     * thinker's view; safe from any thread. Empty ids are ignored.
     */
    public void hear(int[] heardIds) {
        if (heardIds.length > 0) {
            heard.add(heardIds.clone());
        }
    }

    /**
     * Samples the next token of each stream that runs and returns their rows for one batched
     * step (thinker first); empty when the run is done. The rows' views already include the
     * tokens, so each stream sees the other's.
     */
    public List<BlockDecoder.Row> nextRows() {
        thinkerRow = -1;
        writerRow = -1;
        prefillHeard();
        while (schedule.needsCheck()) {
            check();
        }
        if (schedule.done()) {
            return List.of();
        }
        if (schedule.writerRuns() && writerLogits == null) {
            writerLogits = decoder.prefill(blocks.writerView(), blocks.writerSplit,
                    ids.writerSplit());
        }
        boolean thinkerRuns = schedule.thinkerRuns();
        boolean writerRuns = schedule.writerRuns();
        List<BlockDecoder.Row> rows = new ArrayList<>(2);
        StreamSampler.Sampled thought = thinkerRuns ? thinkerSampler.next(thinkerLogits) : null;
        StreamSampler.Sampled word = writerRuns ? writerSampler.next(writerLogits) : null;
        if (word != null) {
            answer.add(word.id(), word.logprob());
            listener.wrote(word.id(), word.logprob());
            schedule = schedule.afterWriterToken(word.id());
            if (schedule.done()) {
                answerStopped = true;
                return List.of();
            }
            if (answer.size() == settings.writerBudget()) {
                schedule = schedule.endResponse();
                return List.of();
            }
        }
        if (thought != null) {
            if (ids.vocabulary().endOfThoughtsIds().contains(thought.id())) {
                thoughtsClosed = true;
                schedule = schedule.closeThoughts();
            } else {
                thoughts.add(thought.id(), thought.logprob());
                listener.thought(thought.id(), thought.logprob());
                schedule = schedule.afterThinkerToken(thought.id());
                closeThoughtsAfterStep = thoughts.size() == settings.thinkerBudget();
                thinkerRow = rows.size();
                rows.add(new BlockDecoder.Row(blocks.thinkerView(), blocks.thoughts(),
                        thought.id()));
            }
        }
        if (word != null) {
            writerRow = rows.size();
            rows.add(new BlockDecoder.Row(blocks.writerView(), blocks.answer, word.id()));
        }
        return rows;
    }

    /**
     * Takes the logits of the step that ran {@link #nextRows()}'s rows: (rows, V) row-major in
     * {@code logits}, this session's first row at {@code firstRow}.
     */
    public void accept(float[] logits, int firstRow) {
        int vocab = decoder.config().vocabSize();
        if (thinkerRow >= 0) {
            thinkerLogits = Arrays.copyOfRange(logits, (firstRow + thinkerRow) * vocab,
                    (firstRow + thinkerRow + 1) * vocab);
        }
        if (writerRow >= 0) {
            writerLogits = Arrays.copyOfRange(logits, (firstRow + writerRow) * vocab,
                    (firstRow + writerRow + 1) * vocab);
        }
        steps++;
        if (thinkerRow >= 0 && writerRow >= 0) {
            jointSteps++;
        }
        if (closeThoughtsAfterStep) {
            closeThoughtsAfterStep = false;
            schedule = schedule.closeThoughts();
        }
    }

    /** What the run produced so far (all of it once {@link #nextRows()} returned no rows). */
    public ReasoningResult result() {
        return new ReasoningResult(thoughts.ids(), thoughts.logprobs(), answer.ids(),
                answer.logprobs(), thoughtsClosed, answerStopped, checks, writeAnswers, steps,
                jointSteps);
    }

    /** The thinker's yes/no question, asked in its own view in a block dropped afterwards. */
    private void check() {
        if (settings.checks() == ReasoningSettings.Checks.THINK_THEN_ANSWER) {
            schedule = schedule.answer(0f, 1f); // no: the writer waits for closed thoughts
            return;
        }
        KvBlock question = decoder.newBlock("question");
        float[] logits = decoder.prefill(blocks.thinkerViewAsking(question), question,
                ids.question());
        float yes = logits[ids.yesId()];
        float no = logits[ids.noId()];
        boolean write = settings.checks() == ReasoningSettings.Checks.ALWAYS_WRITE || yes > no;
        schedule = write ? schedule.answer(1f, 0f) : schedule.answer(0f, 1f);
        checks++;
        if (write) {
            writeAnswers++;
        }
        listener.checked(write, yes, no);
    }

    /** Each heard text becomes a block prefilled in the thinker's view; the thinker reads on. */
    private void prefillHeard() {
        for (int[] arrived = heard.poll(); arrived != null; arrived = heard.poll()) {
            int room = decoder.config().maxPositions()
                    - Math.max(blocks.writerView().length(), blocks.thinkerView().length())
                    - ids.question().length - (settings.thinkerBudget() - thoughts.size())
                    - (settings.writerBudget() - answer.size());
            if (arrived.length > room) {
                throw new IllegalArgumentException("heard text of " + arrived.length
                        + " tokens does not fit: " + room + " positions are left for it");
            }
            KvBlock block = blocks.hear();
            thinkerLogits = decoder.prefill(blocks.thinkerView(), block, arrived);
        }
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** A growable list of token ids and their log-probs. */
    private static final class TokenTrace {
        private int[] ids = new int[64];
        private float[] logprobs = new float[64];
        private int size;

        void add(int id, float logprob) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                logprobs = Arrays.copyOf(logprobs, size * 2);
            }
            ids[size] = id;
            logprobs[size++] = logprob;
        }

        int size() {
            return size;
        }

        int[] ids() {
            return Arrays.copyOf(ids, size);
        }

        float[] logprobs() {
            return Arrays.copyOf(logprobs, size);
        }
    }
}
