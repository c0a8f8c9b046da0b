package ai.collectiveagency.trainer.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.trainer.TestGroups;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExampleBuilderTest {

    private static ExampleBuilder builder(Segments segments, Personas personas) {
        return new ExampleBuilder(segments, personas, Baseline.GROUP, new RoleBaselines(),
                false);
    }

    /** The advantage of each trajectory (every row of a trajectory carries the same one). */
    private static double[] advantages(List<TrainingRow> rows, int perTrajectory) {
        double[] out = new double[rows.size() / perTrajectory];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i * perTrajectory).advantage();
        }
        return out;
    }

    @Test
    void anUnscorableTrajectoryGetsZeroAndStaysOutOfTheGroupBaseline() {
        ScoredGroup group = TestGroups.group("t", 0, 1.0, 0.0, Double.NaN, 0.5);

        List<TrainingRow> rows = builder(Segments.RESOLUTION, Personas.BOTH).rows(group);

        // Baseline over 1, 0, 0.5: mean 0.5, unbiased std 0.5.
        double scale = 0.5 + 1e-4;
        assertThat(advantages(rows, 1)).containsExactly(
                new double[] {0.5 / scale, -0.5 / scale, 0.0, 0.0}, within(1e-12));
    }

    @Test
    void rowsCarryTheRecordedTokensAndLogprobsExactly() {
        ScoredGroup group = TestGroups.group("t", 0, 1.0, 0.0);
        Turn turn = group.getGroup().getTrajectories().get(1).getTurns().get(1);

        TrainingRow row = builder(Segments.DIALOGUE, Personas.BOTH).rows(group).get(3);

        assertThat(row.segment()).isEqualTo(Segment.PERSONA_B);
        assertThat(row.taskId()).isEqualTo("t");
        assertThat(row.prompt()).containsExactly(turn.getPromptTokenIds().stream()
                .mapToInt(Integer::intValue).toArray());
        assertThat(row.completion()).containsExactly(turn.getCompletionTokenIds().stream()
                .mapToInt(Integer::intValue).toArray());
        for (int k = 0; k < row.behaviourLogprobs().length; k++) {
            assertThat(row.behaviourLogprobs()[k]).isEqualTo(turn.getCompletionLogprobs().get(k));
        }
    }

    static Stream<Arguments> filters() {
        Segment a = Segment.PERSONA_A;
        Segment b = Segment.PERSONA_B;
        Segment r = Segment.RESOLUTION;
        return Stream.of(
                Arguments.of(Segments.DIALOGUE, Personas.BOTH, List.of(a, b)),
                Arguments.of(Segments.RESOLUTION, Personas.BOTH, List.of(r)),
                Arguments.of(Segments.BOTH, Personas.BOTH, List.of(a, b, r)),
                Arguments.of(Segments.BOTH, Personas.A, List.of(a, r)),
                Arguments.of(Segments.DIALOGUE, Personas.B, List.of(b)),
                Arguments.of(Segments.RESOLUTION, Personas.B, List.of(r)));
    }

    @ParameterizedTest(name = "segments {0}, personas {1}: {2}")
    @MethodSource("filters")
    void segmentsAndPersonasSelectTheTurns(Segments segments, Personas personas,
            List<Segment> perTrajectory) {
        List<TrainingRow> rows = builder(segments, personas)
                .rows(TestGroups.group("t", 0, 1.0, 0.0));

        assertThat(rows).extracting(TrainingRow::segment).containsExactlyElementsOf(
                Stream.concat(perTrajectory.stream(), perTrajectory.stream()).toList());
    }

    @Test
    void roleBaselineComparesWithTheRunningAverageBeforeTheGroup() {
        RoleBaselines roles = new RoleBaselines();
        ExampleBuilder builder = new ExampleBuilder(Segments.BOTH, Personas.BOTH, Baseline.ROLE,
                roles, false);

        List<TrainingRow> first = builder.rows(TestGroups.group("t1", 0, 1.0, Double.NaN, 0.0));
        assertThat(advantages(first, 3)).containsExactly(1.0, 0.0, 0.0);
        assertThat(roles.baseline(RoleBaselines.Role.A)).isEqualTo(0.5);
        assertThat(roles.baseline(RoleBaselines.Role.B)).isEqualTo(0.5);

        List<TrainingRow> second = builder.rows(TestGroups.group("t2", 0, 0.9, 0.1));
        assertThat(advantages(second, 3)).containsExactly(new double[] {0.4, -0.4},
                within(1e-12));
        assertThat(roles.baseline(RoleBaselines.Role.A)).isCloseTo(0.9 * 0.5 + 0.1 * 0.5,
                within(1e-12));
    }

    @Test
    void aTrajectoryWithoutAScoreIsRefused() {
        ScoredGroup group = TestGroups.group("t", 0, 1.0, 0.0);
        group.getScores().remove(1);

        assertThatThrownBy(() -> builder(Segments.BOTH, Personas.BOTH).rows(group))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no score for trajectory t-g-1");
    }

    @Test
    void thoughtsStayOutOfTheLossByDefault() {
        ScoredGroup group = withThoughts(TestGroups.group("t", 0, 1.0, 0.0));

        List<TrainingRow> rows = builder(Segments.BOTH, Personas.BOTH).rows(group);

        assertThat(rows).extracting(TrainingRow::segment).containsExactly(Segment.PERSONA_A,
                Segment.PERSONA_B, Segment.RESOLUTION, Segment.PERSONA_A, Segment.PERSONA_B,
                Segment.RESOLUTION);
    }

    @Test
    void trainThoughtsPutsThemInForTheSelectedPersonasWithTheirTrajectorysAdvantage() {
        ScoredGroup group = withThoughts(TestGroups.group("t", 0, 1.0, 0.0));
        Turn thoughts = group.getGroup().getTrajectories().get(0).getTurns().get(1);

        List<TrainingRow> both = new ExampleBuilder(Segments.DIALOGUE, Personas.BOTH,
                Baseline.GROUP, new RoleBaselines(), true).rows(group);
        List<TrainingRow> onlyA = new ExampleBuilder(Segments.DIALOGUE, Personas.A,
                Baseline.GROUP, new RoleBaselines(), true).rows(group);

        assertThat(both).extracting(TrainingRow::segment).containsExactly(Segment.PERSONA_A,
                Segment.THOUGHTS_B, Segment.PERSONA_B, Segment.PERSONA_A, Segment.THOUGHTS_B,
                Segment.PERSONA_B);
        assertThat(both.get(1).completion()).containsExactly(thoughts.getCompletionTokenIds()
                .stream().mapToInt(Integer::intValue).toArray());
        assertThat(both.get(1).advantage()).isEqualTo(both.get(2).advantage()).isPositive();
        assertThat(onlyA).extracting(TrainingRow::segment)
                .containsExactly(Segment.PERSONA_A, Segment.PERSONA_A);
    }

    /** Each trajectory with B's thoughts before B's turn, as rollout.reasoning=async records. */
    private static ScoredGroup withThoughts(ScoredGroup group) {
        for (var trajectory : group.getGroup().getTrajectories()) {
            List<Turn> turns = new java.util.ArrayList<>(trajectory.getTurns());
            Turn b = turns.get(1);
            turns.add(1, Turn.newBuilder(b).setSegment(Segment.THOUGHTS_B)
                    .setCompletionTokenIds(b.getCompletionTokenIds().subList(0, 4))
                    .setCompletionLogprobs(b.getCompletionLogprobs().subList(0, 4)).build());
            trajectory.setTurns(turns);
        }
        return group;
    }
}
