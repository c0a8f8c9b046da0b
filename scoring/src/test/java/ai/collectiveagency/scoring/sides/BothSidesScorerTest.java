package ai.collectiveagency.scoring.sides;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.PromptTaskJson;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import ai.collectiveagency.scoring.onnx.Anchors;
import ai.collectiveagency.scoring.onnx.EmbeddingCache;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The negotiation reward resists the hacks a policy finds against a task-blind reward, on 200
 * tasks of the prompt-generator ({@code ./pipeline prompts --count 200 --seed 17}) and the real
 * all-MiniLM-L6-v2: generic resolutions, one-sided ones, copies of the task, empty and
 * repetitive text all score below resolutions written from the task's own fields.
 */
class BothSidesScorerTest {

    /** The 20 most generic resolutions we could think of; the first is where the demo's policy
     *  collapsed under the task-blind anchor reward. */
    static final List<String> GENERIC = List.of(
            "A plan both can trust: we share what we know and decide together.",
            "A fair plan both can trust: we share what we know and decide together.",
            "Both sides win.",
            "Both sides win: everyone gets what they need and nobody loses.",
            "It is a win-win for both sides.",
            "Both sides win: we protect what matters to each of us and meet again next season.",
            "We learn from each other and find an option that leaves everyone better off.",
            "Both sides share what they know openly and decide together with full information.",
            "The plan protects the wellbeing of everyone involved, including those who are not "
                    + "at the table.",
            "Each party gains new ability to pursue its goals without taking it from the other.",
            "They agree on a fair arrangement that both can trust, and a way to revisit it "
                    + "together as things change.",
            "The solution meets the core needs of both sides and strengthens their relationship "
                    + "for the future.",
            "We agree to a fair compromise and review it together next year.",
            "Everyone's values are respected and everyone's needs are met.",
            "A balanced solution that serves all stakeholders fairly.",
            "We will work together in good faith to find common ground.",
            "Both parties agree to a compromise that benefits the whole community.",
            "We share it, we decide together, and we talk again.",
            "Let us both give a little and find a deal that works for all of us.",
            "EVERY_VALUE");

    static SentenceEncoder encoder;
    static BothSidesScorer scorer;
    static List<PromptTask> tasks;
    /** Per task, in one batch: its 3 specific resolutions, one-sided for A and for B, then
     *  the generic ones in {@link #GENERIC} order. */
    static List<List<Double>> table;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.bundled(256, 0);
        scorer = new BothSidesScorer(new EmbeddingCache(encoder, 32, 10_000),
                Anchors.load(encoder, null), SideWeights.defaults());
        tasks = tasks();
        String everyValue = "We honour " + String.join(", ", everyValue()) + ".";
        table = new ArrayList<>();
        for (PromptTask task : tasks) {
            List<String> texts = new ArrayList<>(specific(task));
            texts.add(oneSided(task.getPersonaA()));
            texts.add(oneSided(task.getPersonaB()));
            GENERIC.forEach(g -> texts.add(g.equals("EVERY_VALUE") ? everyValue : g));
            table.add(rewards(task, texts));
        }
    }

    private static final int ONLY_A = 3;
    private static final int ONLY_B = 4;
    private static final int FIRST_GENERIC = 5;

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void everyGenericResolutionScoresBelowTaskSpecificOnesOnAverage() {
        double specific = mean(0, FIRST_GENERIC - 2);
        for (int g = 0; g < GENERIC.size(); g++) {
            double score = mean(FIRST_GENERIC + g, FIRST_GENERIC + g + 1);
            System.out.printf("generic %.4f vs specific %.4f: %s%n", score, specific, GENERIC.get(g));
            assertThat(score).as("mean reward of \"%s\" against task-specific %s",
                    GENERIC.get(g), specific).isLessThan(specific);
        }
    }

    @Test
    void namingOneSideScoresBelowNamingBoth() {
        double both = mean(0, 1);
        double onlyA = mean(ONLY_A, ONLY_A + 1);
        double onlyB = mean(ONLY_B, ONLY_B + 1);
        System.out.printf("both %.4f, only A %.4f, only B %.4f%n", both, onlyA, onlyB);
        assertThat(onlyA).isLessThan(both);
        assertThat(onlyB).isLessThan(both);
        int lower = 0;
        for (List<Double> row : table) {
            lower += Math.max(row.get(ONLY_A), row.get(ONLY_B)) < row.get(0) ? 1 : 0;
        }
        assertThat(lower).as("tasks where both one-sided resolutions score below the "
                + "reference, of %d", tasks.size()).isGreaterThanOrEqualTo(tasks.size() * 9 / 10);
    }

    @Test
    void copiesEmptyAndRepetitiveTextScoreAtTheBottom() {
        for (int t = 0; t < 50; t++) {
            PromptTask task = tasks.get(t);
            // every column but the list of every value word, itself a keyword list at the floor
            double lowest = table.get(t).subList(0, table.get(t).size() - 1).stream()
                    .mapToDouble(d -> d).min().orElseThrow();
            Persona a = task.getPersonaA();
            Persona b = task.getPersonaB();
            String reference = specific(task).get(0);
            List<String> bottom = List.of(
                    task.getScenario().getDescription(),
                    task.getScenario().getTitle() + ": " + task.getScenario().getDescription(),
                    "You are " + a.getName() + ", " + a.getRole() + "; you value "
                            + String.join(", ", a.getValues()) + ". You are " + b.getName()
                            + ", " + b.getRole() + "; you value "
                            + String.join(", ", b.getValues()) + ".",
                    "", "   ",
                    (reference + " ").repeat(4),
                    (a.getValues().get(0) + " and " + b.getValues().get(0) + " ").repeat(8),
                    a.getRole() + " " + String.join(" ", a.getValues()) + " " + b.getRole()
                            + " " + String.join(" ", b.getValues()));
            List<Double> scores = rewards(task, bottom);
            for (int i = 0; i < bottom.size(); i++) {
                assertThat(scores.get(i)).as("\"%s\" on %s, lowest other %s", bottom.get(i),
                        task.getTaskId(), lowest).isLessThan(lowest);
            }
        }
    }

    @Test
    void aTextWithoutItsTaskIsUnscorable() {
        Verdict verdict = scorer.score(List.of(ScoringInput.text("Both sides win."))).verdicts()
                .get(0);
        assertThat(verdict).isInstanceOf(Verdict.Unscorable.class);
        assertThat(((Verdict.Unscorable) verdict).reason()).contains("without a task");
    }

    /** Resolutions a careful writer makes from the task's fields: both roles, each side's
     *  values and goals, a concrete mechanism. */
    static List<String> specific(PromptTask task) {
        Persona a = task.getPersonaA();
        Persona b = task.getPersonaB();
        return List.of(
                "The " + a.getRole() + " keeps " + a.getValues().get(0) + " and the "
                        + b.getRole() + " keeps " + b.getValues().get(0) + ": we "
                        + a.getGoals().get(0) + " and " + b.getGoals().get(0)
                        + ", with a pilot the two review together in six months.",
                capital(a.getValues().get(0)) + " for the " + a.getRole() + ", "
                        + b.getValues().get(0) + " for the " + b.getRole()
                        + ": a joint board will " + a.getGoals().get(1) + " and "
                        + b.getGoals().get(1) + ", and it publishes every decision.",
                "We split the budget: the " + a.getRole() + " gets " + a.getValues().get(0)
                        + " and " + a.getValues().get(1) + ", the " + b.getRole() + " gets "
                        + b.getValues().get(0) + " and " + b.getValues().get(1) + ", and "
                        + a.getConstraints().get(0) + ".");
    }

    static String oneSided(Persona side) {
        return "The " + side.getRole() + " keeps " + side.getValues().get(0) + " and "
                + side.getValues().get(1) + ": we " + side.getGoals().get(0) + " and "
                + side.getGoals().get(1) + ", with a pilot the " + side.getRole()
                + " reviews in six months.";
    }

    /** The mean over all tasks of the table's columns {@code from} (inclusive) to {@code to}. */
    private static double mean(int from, int to) {
        return table.stream().flatMap(row -> row.subList(from, to).stream())
                .mapToDouble(d -> d).average().orElseThrow();
    }

    private static List<Double> rewards(PromptTask task, List<String> texts) {
        return scorer.score(texts.stream().map(text -> new ScoringInput(task, text)).toList())
                .verdicts().stream().map(v -> ((Verdict.Scored) v).reward()).toList();
    }

    private static Set<String> everyValue() {
        Set<String> values = new LinkedHashSet<>();
        for (PromptTask task : tasks) {
            values.addAll(task.getPersonaA().getValues());
            values.addAll(task.getPersonaB().getValues());
        }
        return values;
    }

    private static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static List<PromptTask> tasks() {
        try (InputStream in = BothSidesScorerTest.class.getResourceAsStream(
                "/tasks/generated-200.jsonl")) {
            List<PromptTask> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(PromptTaskJson.parse(line));
                }
            }
            assertThat(out).hasSize(200);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
