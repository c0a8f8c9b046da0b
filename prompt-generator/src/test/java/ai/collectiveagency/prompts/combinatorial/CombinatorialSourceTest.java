package ai.collectiveagency.prompts.combinatorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.ValueConflict;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.TaskMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CombinatorialSourceTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SeedLists LISTS = SeedLists.shipped();

    private static List<PromptTask> tasks(long seed, double negotiation, double heldOut, int n) {
        var config = new CombinatorialConfig(seed, negotiation, heldOut, T0);
        return new CombinatorialSource(LISTS, config).tasks(n).toList();
    }

    private static List<ByteBuffer> bytes(List<PromptTask> tasks) {
        return tasks.stream().map(t -> {
            try {
                return t.toByteBuffer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    @Test
    void sameSeedGivesByteIdenticalTasks() {
        assertThat(bytes(tasks(42, 0.8, 0.05, 300))).isEqualTo(bytes(tasks(42, 0.8, 0.05, 300)));
    }

    @Test
    void differentSeedsGiveDifferentTasks() {
        List<PromptTask> a = tasks(1, 0.8, 0.05, 100);
        List<PromptTask> b = tasks(2, 0.8, 0.05, 100);
        long sameScenario = java.util.stream.IntStream.range(0, 100)
                .filter(i -> a.get(i).getScenario().equals(b.get(i).getScenario())).count();
        assertThat(sameScenario).isLessThan(3);
    }

    @Test
    void personasHoldOpposedSidesOfTheTasksValueConflict() {
        Set<Set<String>> conflicts = LISTS.conflicts().stream()
                .map(c -> Set.of(c.left(), c.right())).collect(Collectors.toSet());
        for (PromptTask task : tasks(7, 0.8, 0.05, 1000)) {
            String a = task.getPersonaA().getValues().get(0);
            String b = task.getPersonaB().getValues().get(0);
            assertThat(Set.of(a, b)).isIn(conflicts);
            assertThat(task.getScenario().getValueConflict()).isEqualTo(a + " vs. " + b);
            assertThat(task.getPersonaA().getValues()).doesNotContain(b);
            assertThat(task.getPersonaB().getValues()).doesNotContain(a);
            assertThat(task.getScenario().getDescription()).contains(a, b);
        }
    }

    @Test
    void personasDifferAndDrawGoalsAndConstraintsFromTheLists() {
        for (PromptTask task : tasks(8, 0.8, 0.05, 500)) {
            var a = task.getPersonaA();
            var b = task.getPersonaB();
            assertThat(a.getName()).isNotEqualTo(b.getName());
            assertThat(a.getRole()).isNotEqualTo(b.getRole());
            assertThat(a.getGoals()).isNotEmpty();
            assertThat(a.getConstraints()).hasSize(2).isSubsetOf(LISTS.constraints());
            assertThat(b.getConstraints()).hasSize(2).isSubsetOf(LISTS.constraints());
            assertThat(a.getConstraints().get(0)).isEqualTo(b.getConstraints().get(0));
            assertThat(LISTS.domains()).contains(task.getScenario().getDomain());
        }
    }

    @Test
    void bothSidesOfAConflictGoToPersonaA() {
        ValueConflict first = LISTS.conflicts().get(0);
        Set<String> aSides = tasks(9, 0.8, 0.05, 2000).stream()
                .map(t -> t.getPersonaA().getValues().get(0)).collect(Collectors.toSet());
        assertThat(aSides).contains(first.left(), first.right());
    }

    @Test
    void heldOutShareIsWithinTwoPointsOver2000Tasks() {
        long held = tasks(3, 0.8, 0.1, 2000).stream().filter(PromptTask::getHeldOut).count();
        assertThat(held / 2000.0).isCloseTo(0.1, within(0.02));
    }

    @Test
    void heldOutDependsOnlyOnTheTaskId() {
        List<PromptTask> a = tasks(5, 0.8, 0.1, 500);
        List<PromptTask> b = tasks(5, 0.2, 0.1, 500);
        HeldOutSplit split = new HeldOutSplit(0.1);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).getHeldOut()).isEqualTo(b.get(i).getHeldOut())
                    .isEqualTo(split.isHeldOut(a.get(i).getTaskId()));
        }
    }

    @Test
    void modeMixIsWithinThreePointsOver2000Tasks() {
        long negotiations = tasks(4, 0.7, 0.05, 2000).stream()
                .filter(t -> t.getMode() == TaskMode.NEGOTIATION).count();
        assertThat(negotiations / 2000.0).isCloseTo(0.7, within(0.03));
    }

    @Test
    void taskIdsAreUniqueAndStable() {
        List<PromptTask> run = tasks(11, 0.8, 0.05, 2000);
        assertThat(run).extracting(PromptTask::getTaskId).doesNotHaveDuplicates();
        assertThat(run.get(17).getTaskId()).isEqualTo("comb-b-17");
    }

    @Test
    void provenanceIsCombinatorialWithTheGeneratorVersion() {
        PromptTask task = tasks(12, 0.8, 0.05, 1).get(0);
        assertThat(task.getProvenance().getSource()).isEqualTo(ProvenanceSource.COMBINATORIAL);
        assertThat(task.getProvenance().getGeneratorVersion())
                .isEqualTo(CombinatorialSource.GENERATOR_VERSION);
        assertThat(task.getProvenance().getModel()).isNull();
        assertThat(task.getCreatedAt()).isEqualTo(T0);
    }
}
