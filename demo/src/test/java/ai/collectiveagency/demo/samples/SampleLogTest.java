package ai.collectiveagency.demo.samples;

import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples.jsonl as the demo writes it and the report reads it, on real files. */
class SampleLogTest {

    @TempDir
    Path run;

    @Test
    void eachScoredTrajectoryIsOneLineWithTheIssuesFieldsFirst() throws Exception {
        try (SampleLog log = SampleLog.open(run)) {
            log.append(unscoredFirst(negotiation("g", 4, true, "share by day", 0.1, 0.7, 0.4)));
        }

        List<String> file = Files.readAllLines(SampleFiles.current(run));
        assertThat(file).hasSize(3);
        JsonNode first = new ObjectMapper().readTree(file.get(0));
        assertThat(first.fieldNames()).toIterable().startsWith("task_id", "held_out",
                "policy_version", "persona_a", "persona_b", "dialogue", "resolution", "agreed",
                "reward", "group_id", "trajectory_id", "trajectory_index", "group_size");
        assertThat(first.get("task_id").asText()).isEqualTo("task-g");
        assertThat(first.get("held_out").asBoolean()).isTrue();
        assertThat(first.get("policy_version").asLong()).isEqualTo(4);
        assertThat(first.at("/persona_a/name").asText()).isEqualTo("Ana");
        assertThat(first.at("/persona_b/role").asText()).isEqualTo("ecologist");
        assertThat(first.at("/persona_a/values/0").asText()).isEqualTo("fairness");
        assertThat(first.at("/persona_a/goals/0").asText()).isEqualTo("agree");
        assertThat(first.at("/persona_a/constraints").isArray()).isTrue();
        assertThat(first.get("dialogue").toString()).isEqualTo(
                "[{\"speaker\":\"Ana\",\"text\":\"Ana opens: share by day\"},"
                        + "{\"speaker\":\"Ben\",\"text\":\"Ben answers: share by day\"}]");
        assertThat(first.get("resolution").isNull()).isTrue();
        assertThat(first.get("agreed").asBoolean()).isFalse();
        assertThat(first.get("reward").isNull()).isTrue();
        assertThat(first.get("unscorable_reason").asText()).isEqualTo("empty resolution");
        JsonNode second = new ObjectMapper().readTree(file.get(1));
        assertThat(second.get("resolution").asText()).isEqualTo("Resolved: share by day");
        assertThat(second.get("agreed").asBoolean()).isTrue();
        assertThat(second.get("reward").asDouble()).isEqualTo(0.7);
        assertThat(second.get("trajectory_index").asInt()).isEqualTo(1);
        assertThat(second.get("group_size").asInt()).isEqualTo(3);
        assertThat(second.get("scorer_id").asText()).isEqualTo("embedding");
        assertThat(second.at("/scenario/value_conflict").asText())
                .isEqualTo("livelihood vs. ecology");
    }

    @Test
    void whatIsReadBackIsWhatWasWritten() {
        ScoredGroup group = unscoredFirst(negotiation("g", 2, "plain", 0.1, 0.2));
        try (SampleLog log = SampleLog.open(run)) {
            log.append(group);
        }

        assertThat(read()).isEqualTo(SampleLines.of(group));
    }

    @Test
    void aContinuedRunAppendsAndNeverRewritesEarlierLines() throws Exception {
        try (SampleLog log = SampleLog.open(run)) {
            log.append(negotiation("a", 0, "x", 0.1, 0.2));
        }
        byte[] before = Files.readAllBytes(SampleFiles.current(run));
        try (SampleLog log = SampleLog.open(run)) {
            log.append(negotiation("b", 1, "y", 0.3));
        }

        byte[] after = Files.readAllBytes(SampleFiles.current(run));
        assertThat(after).startsWith(before);
        assertThat(read()).extracting(SampleLine::groupId).containsExactly("a", "a", "b");
    }

    @Test
    void pastTheSizeLimitTheFileRotatesOlderOnesShiftAndTheOldestBeyondKeepGoes()
            throws Exception {
        long oneGroup = bytes(negotiation("g0", 0, "x", 0.1, 0.2));
        try (SampleLog log = SampleLog.open(run, oneGroup + 10, 2)) {
            for (int i = 0; i < 4; i++) {
                log.append(negotiation("g" + i, i, "x", 0.1, 0.2));
            }
        }

        // Two trajectories, two lines, a group.
        assertThat(groupsIn(SampleFiles.current(run))).containsExactly("g3", "g3");
        assertThat(groupsIn(SampleFiles.rotated(run, 1))).containsExactly("g2", "g2");
        assertThat(groupsIn(SampleFiles.rotated(run, 2))).containsExactly("g1", "g1");
        assertThat(SampleFiles.rotated(run, 3)).doesNotExist();
        assertThat(read()).extracting(SampleLine::groupId).containsExactly("g1", "g1", "g2",
                "g2", "g3", "g3");
    }

    @Test
    void aGroupIsNeverSplitAcrossFiles() throws Exception {
        try (SampleLog log = SampleLog.open(run, 100, 3)) {
            log.append(negotiation("big", 0, "x", 0.1, 0.2, 0.3));
            log.append(negotiation("next", 1, "x", 0.1, 0.2, 0.3));
        }

        assertThat(groupsIn(SampleFiles.rotated(run, 1))).containsExactly("big", "big", "big");
        assertThat(groupsIn(SampleFiles.current(run))).containsExactly("next", "next", "next");
    }

    @Test
    void aTornLastLineIsSkippedOnReadAndEndedBeforeTheNextAppend() throws Exception {
        try (SampleLog log = SampleLog.open(run)) {
            log.append(negotiation("whole", 0, "x", 0.1));
        }
        // A run killed while writing: half a line, cut inside a two-byte UTF-8 character.
        byte[] torn = "{\"task_id\":\"task-torn\",\"dialogue\":[{\"text\":\"caf\u00e9"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(SampleFiles.current(run), Arrays.copyOf(torn, torn.length - 1),
                StandardOpenOption.APPEND);

        List<SampleLine> lines = new ArrayList<>();
        assertThat(SampleFiles.read(run, lines::add)).isEqualTo(1);
        assertThat(lines).extracting(SampleLine::groupId).containsExactly("whole");

        try (SampleLog log = SampleLog.open(run)) {
            log.append(negotiation("after", 1, "y", 0.2));
        }
        lines.clear();
        assertThat(SampleFiles.read(run, lines::add)).isEqualTo(1);
        assertThat(lines).extracting(SampleLine::groupId).containsExactly("whole", "after");
    }

    @Test
    void aRunWithoutSampleFilesReadsAsNone() {
        List<SampleLine> lines = new ArrayList<>();

        assertThat(SampleFiles.read(run.resolve("never-ran"), lines::add)).isZero();
        assertThat(lines).isEmpty();
    }

    /** The group with its first trajectory unscorable, as a scorer reports it. */
    private static ScoredGroup unscoredFirst(ScoredGroup group) {
        List<TrajectoryScore> scores = new ArrayList<>(group.getScores());
        scores.set(0, TrajectoryScore.newBuilder().setTrajectoryId(scores.get(0)
                .getTrajectoryId()).setReward(null).setBreakdown(Map.of()).setUnscorable(true)
                .setUnscorableReason("empty resolution").build());
        return ScoredGroup.newBuilder(group).setScores(scores).build();
    }

    private List<SampleLine> read() {
        List<SampleLine> lines = new ArrayList<>();
        SampleFiles.read(run, lines::add);
        return lines;
    }

    private static List<String> groupsIn(Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<String> groups = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            groups.add(mapper.readTree(line).get("group_id").asText());
        }
        return groups;
    }

    private static long bytes(ScoredGroup group) throws Exception {
        long total = 0;
        for (SampleLine line : SampleLines.of(group)) {
            total += SampleFiles.MAPPER.writeValueAsBytes(line).length + 1;
        }
        return total;
    }
}
