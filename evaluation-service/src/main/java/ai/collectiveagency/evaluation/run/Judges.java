package ai.collectiveagency.evaluation.run;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.judge.Rubric;
import ai.collectiveagency.scoring.pairwise.PairJudge;
import ai.collectiveagency.scoring.pairwise.PairwiseJudge;
import ai.collectiveagency.scoring.pairwise.ScoreComparison;
import java.util.Map;
import java.util.function.Function;

/**
 * The pairwise judge of each kind of set. With an endpoint, an LLM under the papers' two rubrics:
 * conflict resolution for negotiation tasks, Collective Agency for open-ended (single) ones.
 * Offline, an embedded scorer comparing scores: the services and {@code ./pipeline evaluate} give
 * it the task-conditioned {@code negotiation} reward, the demo's training reward, on both kinds of
 * set (say so when reporting offline win rates).
 */
public final class Judges {

    /** The rubric of each mode, as the negotiation paper pairs them. */
    public static final Map<TaskMode, String> RUBRICS = Map.of(
            TaskMode.NEGOTIATION, "conflict-resolution", TaskMode.SINGLE, "ca");

    private Judges() {
    }

    /** {@code embedded} comparing scores, for every mode. */
    public static Function<TaskMode, PairJudge> offline(Scorer embedded, double tieMargin) {
        ScoreComparison judge = new ScoreComparison(embedded, tieMargin);
        return mode -> judge;
    }

    /** An LLM at {@code endpoint}, under each mode's rubric. */
    public static Function<TaskMode, PairJudge> llm(ChatEndpoint endpoint, ChatGuard guard) {
        Map<TaskMode, PairJudge> judges = Map.of(
                TaskMode.NEGOTIATION, llm(endpoint, guard, TaskMode.NEGOTIATION),
                TaskMode.SINGLE, llm(endpoint, guard, TaskMode.SINGLE));
        return judges::get;
    }

    private static PairJudge llm(ChatEndpoint endpoint, ChatGuard guard, TaskMode mode) {
        return new PairwiseJudge(JsonChat.create(endpoint, PairwiseJudge.schema(),
                JsonMode.SCHEMA, guard), endpoint.model(), Rubric.load(RUBRICS.get(mode)));
    }
}
