package ai.collectiveagency.demo.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.tasks.SmallModelFiles;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.TaskMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The warm-up corpus is the rollout-service's own conversations with scripted replies. */
class WarmupCorpusTest {

    @TempDir
    Path dir;

    @Test
    void everyNegotiationTeachesTurnsVerdictsAndAResolutionExactlyWhenAgreed() {
        WarmupCorpus corpus = corpus();
        int agreed = 0;
        int negotiations = 0;
        for (PromptTask task : tasks(200)) {
            if (task.getMode() != TaskMode.NEGOTIATION) {
                continue;
            }
            negotiations++;
            List<WarmupCorpus.Example> examples = corpus.examples(task, new Random(task.getSeed()));
            List<WarmupCorpus.Example> verdicts = examples.stream()
                    .filter(e -> e.target().equals("YES") || e.target().equals("NO")).toList();
            List<WarmupCorpus.Example> resolutions = examples.stream()
                    .filter(e -> e.prompt().get(1).content().contains("resolve it")).toList();
            long yes = verdicts.stream().filter(e -> e.target().equals("YES")).count();
            // The judge says YES at most once, on the last verdict, and only then is there a
            // resolution to write.
            assertThat(yes).isLessThanOrEqualTo(1);
            if (yes == 1) {
                assertThat(verdicts.get(verdicts.size() - 1).target()).isEqualTo("YES");
                agreed++;
            }
            assertThat(resolutions).hasSize((int) yes);
            assertThat(examples.get(0).prompt().get(0).content())
                    .startsWith("You are " + task.getPersonaA().getName());
        }
        assertThat(agreed).isBetween(negotiations / 2, negotiations * 9 / 10);
    }

    @Test
    void speakersSeeTheirOwnTurnsAsAssistantAndTheOthersAsUser() {
        PromptTask task = tasks(50).stream()
                .filter(t -> t.getMode() == TaskMode.NEGOTIATION).findFirst().orElseThrow();
        List<WarmupCorpus.Example> turns = corpus().examples(task, new Random(1)).stream()
                .filter(e -> !e.target().equals("YES") && !e.target().equals("NO")
                        && !e.prompt().get(1).content().contains("resolve it")).toList();

        List<Message> secondTurn = turns.get(1).prompt();
        assertThat(secondTurn.get(0).content()).startsWith("You are "
                + task.getPersonaB().getName());
        assertThat(secondTurn.get(secondTurn.size() - 1))
                .isEqualTo(Message.user(turns.get(0).target()));
    }

    @Test
    void placeholdersFillAndCapitalise() {
        assertThat(NegotiationScript.fill("{Value} first; {value} waits for the {role}.",
                Map.of("value", "water access", "role", "farmer")))
                .isEqualTo("Water access first; water access waits for the farmer.");
    }

    @Test
    void resolutionKindsAreDrawnByTheirWeights() {
        NegotiationScript script = NegotiationScript.shipped();
        Map<String, Double> weights = script.resolutionWeights();
        assertThat(weights).containsOnlyKeys("specific", "generic", "lopsided", "one_sided");
        double total = weights.values().stream().mapToDouble(w -> w).sum();
        Random random = new Random(3);
        Map<String, Long> counts = tasks(300).stream()
                .flatMap(task -> IntStream.range(0, 10).mapToObj(i -> script.resolution(task,
                        random)))
                .collect(Collectors.groupingBy(NegotiationScript.Resolution::kind,
                        Collectors.counting()));
        weights.forEach((kind, weight) -> assertThat(counts.getOrDefault(kind, 0L) / 3000.0)
                .as(kind).isCloseTo(weight / total, within(0.03)));
    }

    @Test
    void specificResolutionsNameBothRolesBothValuesAGoalOrConstraintOfEachAndAMechanism() {
        NegotiationScript script = NegotiationScript.shipped();
        Random random = new Random(4);
        List<String> mechanisms = List.of("pilot", "budget", "board", "audit", "phases",
                "review", "trial", "council", "charter", "fund", "district", "chair", "report",
                "panel", "opt-out");
        int specific = 0;
        for (PromptTask task : tasks(200)) {
            for (int i = 0; i < 10; i++) {
                NegotiationScript.Resolution resolution = script.resolution(task, random);
                if (!resolution.kind().equals("specific")) {
                    continue;
                }
                specific++;
                String text = resolution.text().toLowerCase(Locale.ROOT);
                Persona a = task.getPersonaA();
                Persona b = task.getPersonaB();
                assertThat(text).as(resolution.text()).contains(a.getRole(), b.getRole(),
                        a.getValues().get(0), b.getValues().get(0));
                assertThat(namesAny(text, goalsAndConstraints(a))).as(resolution.text()).isTrue();
                assertThat(namesAny(text, goalsAndConstraints(b))).as(resolution.text()).isTrue();
                assertThat(namesAny(text, mechanisms)).as(resolution.text()).isTrue();
            }
        }
        assertThat(specific).isGreaterThan(500);
        // Many ways to say it, so that the base policy's specific resolutions vary.
        PromptTask task = tasks(1).get(0);
        long distinct = IntStream.range(0, 600).mapToObj(i -> script.resolution(task, random))
                .filter(r -> r.kind().equals("specific")).map(NegotiationScript.Resolution::text)
                .distinct().count();
        assertThat(distinct).isGreaterThanOrEqualTo(30);
    }

    @Test
    void genericResolutionsNameNothingOfTheTaskAndOthersNeverServeBothSidesGoals() {
        NegotiationScript script = NegotiationScript.shipped();
        Random random = new Random(5);
        Set<String> kinds = new HashSet<>();
        for (PromptTask task : tasks(200)) {
            Persona a = task.getPersonaA();
            Persona b = task.getPersonaB();
            for (int i = 0; i < 10; i++) {
                NegotiationScript.Resolution resolution = script.resolution(task, random);
                String text = resolution.text().toLowerCase(Locale.ROOT);
                kinds.add(resolution.kind());
                if (resolution.kind().equals("generic")) {
                    for (Persona side : List.of(a, b)) {
                        List<String> words = new ArrayList<>(List.of(side.getName(),
                                side.getRole()));
                        words.addAll(side.getValues());
                        words.addAll(goalsAndConstraints(side));
                        assertThat(namesAny(text, words)).as(resolution.text()).isFalse();
                    }
                } else if (!resolution.kind().equals("specific")) {
                    assertThat(namesAny(text, goalsAndConstraints(a))
                            && namesAny(text, goalsAndConstraints(b)))
                            .as(resolution.kind() + ": " + resolution.text()).isFalse();
                }
            }
        }
        assertThat(kinds).contains("generic", "lopsided", "one_sided");
    }

    @Test
    void speakersSpeakForTheirOwnValuesAndGoals() {
        NegotiationScript script = NegotiationScript.shipped();
        Random random = new Random(6);
        int turns = 0;
        int ownNamed = 0;
        int otherNamed = 0;
        for (PromptTask task : tasks(300)) {
            List<String> spoken = script.play(task, random).turns();
            for (int i = 0; i < spoken.size(); i++) {
                Persona self = i % 2 == 0 ? task.getPersonaA() : task.getPersonaB();
                Persona other = i % 2 == 0 ? task.getPersonaB() : task.getPersonaA();
                String text = spoken.get(i).toLowerCase(Locale.ROOT);
                List<String> own = new ArrayList<>(self.getValues());
                own.addAll(self.getGoals());
                List<String> others = new ArrayList<>(List.of(other.getValues().get(0)));
                others.addAll(other.getGoals());
                boolean namesOwn = namesAny(text, own);
                boolean namesOther = namesAny(text, others);
                // Whoever names the other side's value or goal names its own too.
                assertThat(!namesOther || namesOwn).as(spoken.get(i)).isTrue();
                turns++;
                ownNamed += namesOwn ? 1 : 0;
                otherNamed += namesOther ? 1 : 0;
            }
        }
        assertThat(ownNamed).isGreaterThan(turns * 6 / 10);
        assertThat(otherNamed).isLessThan(ownNamed / 3);
    }

    @Test
    void everyPlaceholderOfTheShippedScriptIsFilled() {
        WarmupCorpus corpus = corpus();
        Random random = new Random(7);
        for (PromptTask task : tasks(300)) {
            for (WarmupCorpus.Example example : corpus.examples(task, random)) {
                assertThat(example.target()).doesNotContain("{", "}");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"opening\": [\"I want {goals}.\"]} | opening: unknown placeholder {goals}",
        "{\"resolutions\": {\"specific\": [\"{Role} wins.\"]}} "
                + "| resolutions.specific: unknown placeholder {Role}",
        "{\"resolution_weights\": {\"specific\": 1, \"generic\": 0}} "
                + "| must give each kind of resolutions [specific, lopsided, one_sided, generic] a positive weight"})
    void aFaultyScriptStopsNamingTheFault(String change, String message) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode script = (ObjectNode) json.readTree(NegotiationScript.class
                .getResourceAsStream("/warmup/negotiation-script.json"));
        ObjectNode patch = (ObjectNode) json.readTree(change);
        patch.fields().forEachRemaining(field -> {
            if (field.getKey().equals("resolutions")) {
                ((ObjectNode) script.path("resolutions")).setAll((ObjectNode) field.getValue());
            } else {
                script.set(field.getKey(), field.getValue());
            }
        });

        assertThatThrownBy(() -> NegotiationScript.read(script, "test-script"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("test-script")
                .hasMessageContaining(message);
    }

    private static List<String> goalsAndConstraints(Persona persona) {
        List<String> out = new ArrayList<>(persona.getGoals());
        out.addAll(persona.getConstraints());
        return out;
    }

    /** Whether lower-case {@code text} contains any of {@code phrases}, in any case. */
    private static boolean namesAny(String text, List<String> phrases) {
        return phrases.stream().anyMatch(p -> text.contains(p.toLowerCase(Locale.ROOT)));
    }

    private WarmupCorpus corpus() {
        return new WarmupCorpus(PromptTemplates.load(SmallModelFiles.prompts(dir.resolve("p"))),
                Warmup.CONTEXT_TURNS, NegotiationScript.shipped());
    }

    private List<PromptTask> tasks(int count) {
        SeedLists seeds = SeedLists.load(SmallModelFiles.seeds(dir.resolve("s")),
                SeedMerge.REPLACE);
        return new CombinatorialSource(seeds, CombinatorialConfig.defaults(11, Instant.EPOCH))
                .tasks(count).toList();
    }
}
