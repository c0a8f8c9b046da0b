package ai.collectiveagency.demo.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.tasks.SmallModelFiles;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.TaskMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void resolutionsOfEveryKindAreDrawn() {
        PromptTask task = tasks(1).get(0);
        NegotiationScript script = NegotiationScript.shipped();
        Random random = new Random(3);
        long distinct = IntStream.range(0, 400)
                .mapToObj(i -> script.resolution(task, random)).distinct().count();
        assertThat(distinct).isGreaterThanOrEqualTo(10);
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
