package ai.collectiveagency.policy.reasoning;

import java.util.Set;

/**
 * The state machine of Asynchronous Reasoning (arXiv 2512.10931): which of the two streams, the
 * private thinker and the public writer, takes the next step. It knows token ids only, no model:
 * the caller decodes, reports each token here, and asks {@link #thinkerRuns()} and
 * {@link #writerRuns()} before the next batched step.
 *
 * <p>What the paper does, and this class follows:
 * <ul>
 *   <li>It starts {@link State#THINKER_ONLY}: the writer waits until the thinker is ahead.</li>
 *   <li>Every {@code checkInterval} thinker tokens (the paper uses 20), or when the thinker ends a
 *       paragraph, the thinker is asked in its own view whether its thoughts are far enough
 *       ahead of the response to write another paragraph. The caller reads the logits of the
 *       " yes" and " no" tokens and passes them to {@link #answer}; P(yes) &gt; P(no) (the larger
 *       logit, a tie counts as no) lets the writer write ({@link State#THINKER_AND_WRITER}), no
 *       keeps or puts it back to waiting ({@link State#THINKER_ONLY}). While a check is pending
 *       neither stream steps, so the answer is read in the thinker's view as it stands.</li>
 *   <li>The writer pauses at its own paragraph ends ({@link State#THINKER_ONLY} until a check
 *       says yes).</li>
 *   <li>A thinker that emits an end-of-thoughts token hands over: {@link State#WRITER_ONLY}, no
 *       more checks and no more pauses, until the writer emits an end of sequence
 *       ({@link State#DONE}). A writer that ends its response while the thinker still runs also
 *       ends the whole: {@link State#DONE}.</li>
 * </ul>
 *
 * <p>Immutable: every transition returns a new schedule, so a controller may keep the history or
 * share a schedule between threads.
 *
 * <p>{@link AsyncReasoner} drives it over a block KV cache.
 *
 * @param vocabulary            the token ids the schedule reacts to
 * @param state                 which streams may step
 * @param checkPending          whether the thinker must answer the question before anyone steps
 * @param thinkerTokensSinceCheck thinker tokens since the last check (or the start)
 */
public record ReasoningSchedule(Vocabulary vocabulary, State state, boolean checkPending,
                                int thinkerTokensSinceCheck) {

    /** Which streams may step. */
    public enum State { THINKER_ONLY, THINKER_AND_WRITER, WRITER_ONLY, DONE }

    /** The paper's check interval: the thinker is asked every 20 of its tokens. */
    public static final int DEFAULT_CHECK_INTERVAL = 20;

    /**
     * The token ids the schedule reacts to. The two streams end on their own sets, which may
     * share ids (a model without an end-of-thoughts token closes its thoughts with its end of
     * sequence): each set is only read for its own stream.
     *
     * @param paragraphEndIds  the ids whose text ends with a blank line ("\n\n"), for both streams
     * @param endOfThoughtsIds the ids that close the thinker's thoughts
     * @param endOfSequenceIds the ids that end the writer's response
     * @param checkInterval    thinker tokens between two checks, at least 1
     */
    public record Vocabulary(Set<Integer> paragraphEndIds, Set<Integer> endOfThoughtsIds,
                             Set<Integer> endOfSequenceIds, int checkInterval) {

        public Vocabulary {
            paragraphEndIds = tokenIds("paragraphEndIds", paragraphEndIds);
            endOfThoughtsIds = tokenIds("endOfThoughtsIds", endOfThoughtsIds);
            endOfSequenceIds = tokenIds("endOfSequenceIds", endOfSequenceIds);
            if (endOfThoughtsIds.isEmpty() || endOfSequenceIds.isEmpty()) {
                throw new IllegalArgumentException("each stream needs at least one end id, got"
                        + " endOfThoughtsIds " + endOfThoughtsIds + " and endOfSequenceIds "
                        + endOfSequenceIds);
            }
            for (int id : paragraphEndIds) {
                if (endOfThoughtsIds.contains(id) || endOfSequenceIds.contains(id)) {
                    throw new IllegalArgumentException("paragraphEndIds " + paragraphEndIds
                            + " must not contain an end id, got " + id);
                }
            }
            if (checkInterval < 1) {
                throw new IllegalArgumentException("checkInterval must be at least 1, got "
                        + checkInterval);
            }
        }

        /** With the paper's check every {@value #DEFAULT_CHECK_INTERVAL} thinker tokens. */
        public Vocabulary(Set<Integer> paragraphEndIds, Set<Integer> endOfThoughtsIds,
                          Set<Integer> endOfSequenceIds) {
            this(paragraphEndIds, endOfThoughtsIds, endOfSequenceIds, DEFAULT_CHECK_INTERVAL);
        }

        private static Set<Integer> tokenIds(String what, Set<Integer> ids) {
            if (ids == null) {
                throw new IllegalArgumentException(what + " must not be null");
            }
            for (int id : ids) {
                if (id < 0) {
                    throw new IllegalArgumentException(what + ": a token id must be >= 0, got "
                            + id);
                }
            }
            return Set.copyOf(ids);
        }
    }

    public ReasoningSchedule {
        if (vocabulary == null || state == null) {
            throw new IllegalArgumentException("vocabulary and state must not be null");
        }
        if (thinkerTokensSinceCheck < 0 || thinkerTokensSinceCheck >= vocabulary.checkInterval()) {
            throw new IllegalArgumentException("thinkerTokensSinceCheck must be in [0, "
                    + vocabulary.checkInterval() + "), got " + thinkerTokensSinceCheck);
        }
        if (checkPending && (state == State.WRITER_ONLY || state == State.DONE)) {
            throw new IllegalArgumentException("no check can be pending in state " + state);
        }
    }

    /** The start: the thinker alone, no check pending. */
    public static ReasoningSchedule start(Vocabulary vocabulary) {
        return new ReasoningSchedule(vocabulary, State.THINKER_ONLY, false, 0);
    }

    /** Whether the thinker must be asked the yes/no question before anyone steps. */
    public boolean needsCheck() {
        return checkPending;
    }

    /** Whether the thinker takes the next step. */
    public boolean thinkerRuns() {
        return !checkPending && (state == State.THINKER_ONLY || state == State.THINKER_AND_WRITER);
    }

    /** Whether the writer takes the next step. */
    public boolean writerRuns() {
        return !checkPending && (state == State.THINKER_AND_WRITER || state == State.WRITER_ONLY);
    }

    /** Whether both streams have finished. */
    public boolean done() {
        return state == State.DONE;
    }

    /** The schedule after the thinker emitted {@code id}; refused when the thinker may not run. */
    public ReasoningSchedule afterThinkerToken(int id) {
        if (!thinkerRuns()) {
            throw new IllegalStateException("the thinker may not step now (state " + state
                    + (checkPending ? ", a check is pending: call answer first" : "") + ")");
        }
        requireToken(id);
        if (vocabulary.endOfThoughtsIds().contains(id)) {
            return closeThoughts();
        }
        int since = thinkerTokensSinceCheck + 1;
        if (vocabulary.paragraphEndIds().contains(id) || since == vocabulary.checkInterval()) {
            return new ReasoningSchedule(vocabulary, state, true, 0);
        }
        return new ReasoningSchedule(vocabulary, state, false, since);
    }

    /** The schedule after the writer emitted {@code id}; refused when the writer may not run. */
    public ReasoningSchedule afterWriterToken(int id) {
        if (!writerRuns()) {
            throw new IllegalStateException("the writer may not step now (state " + state
                    + (checkPending ? ", a check is pending: call answer first" : "") + ")");
        }
        requireToken(id);
        if (vocabulary.endOfSequenceIds().contains(id)) {
            return endResponse();
        }
        if (state == State.THINKER_AND_WRITER && vocabulary.paragraphEndIds().contains(id)) {
            return new ReasoningSchedule(vocabulary, State.THINKER_ONLY, false,
                    thinkerTokensSinceCheck);
        }
        return this;
    }

    /**
     * The thinker's thoughts are closed (its end-of-thoughts token, or its token budget is spent):
     * the writer goes on alone, with no more checks or pauses. A pending check is dropped.
     */
    public ReasoningSchedule closeThoughts() {
        if (state == State.DONE) {
            return this;
        }
        return new ReasoningSchedule(vocabulary, State.WRITER_ONLY, false, 0);
    }

    /** The response is finished (its end of sequence, or its token budget is spent). */
    public ReasoningSchedule endResponse() {
        return new ReasoningSchedule(vocabulary, State.DONE, false, 0);
    }

    /**
     * The schedule after the thinker answered the pending check, given the logits of its
     * " yes" and " no" tokens: yes (the larger logit) lets the writer write, no keeps it waiting.
     */
    public ReasoningSchedule answer(float yesLogit, float noLogit) {
        if (!checkPending) {
            throw new IllegalStateException("no check is pending (state " + state + ")");
        }
        if (!Float.isFinite(yesLogit) || !Float.isFinite(noLogit)) {
            throw new IllegalArgumentException("the yes/no logits must be finite, got yes "
                    + yesLogit + " and no " + noLogit);
        }
        State next = yesLogit > noLogit ? State.THINKER_AND_WRITER : State.THINKER_ONLY;
        return new ReasoningSchedule(vocabulary, next, false, 0);
    }

    private static void requireToken(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("a token id must be >= 0, got " + id);
        }
    }
}
