package ai.collectiveagency.demo.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.tokenizer.Message;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./pipeline warmup} in miniature: a verified Hugging Face folder that has learned. */
class WarmupTest {

    @TempDir
    Path dir;

    @Test
    void buildsAVerifiedModelFolderWhoseLossFell() throws Exception {
        // The shipped recipe's pipeline at a test's size: 150 tasks, 300 tokens, width 32.
        WarmupRecipe recipe = new WarmupRecipe(150, 300, 32, 64, 2, 4, 2, 512, 40, 8, 3e-3, 5);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path folder = dir.resolve("negotiator");

        Warmup.Result result = new Warmup(recipe, new PrintStream(log, true,
                StandardCharsets.UTF_8)).run(folder);

        assertThat(result.lastLoss()).as(log.toString(StandardCharsets.UTF_8))
                .isLessThan(result.firstLoss() - 1.0);
        Sha256Manifest.verify(folder); // every file, warmup.json included, is in the manifest
        assertThat(new ObjectMapper().readTree(folder.resolve("warmup.json").toFile())
                .path("recipe").path("steps").asInt()).isEqualTo(40);
        try (Policy policy = Policy.load(folder)) {
            assertThat(policy.model().config().vocabSize()).isEqualTo(300);
            String text = "Agreed, if fairness is protected too.";
            assertThat(policy.decode(policy.encode(text))).isEqualTo(text);
            int[] chat = policy.encodeChat(List.of(Message.user("Go on.")));
            assertThat(chat).isNotEmpty();
            // <|im_end|> ends every reply, so it must end generation too.
            assertThat(policy.endOfSequence()).contains(299);
        }
    }

    @Test
    void theSameSeedBuildsTheSameCorpus() {
        WarmupRecipe recipe = new WarmupRecipe(60, 300, 32, 64, 2, 4, 2, 512, 40, 8, 3e-3, 5);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8);

        List<WarmupCorpus.Example> first = new Warmup(recipe, quiet).corpus(dir.resolve("1"));
        List<WarmupCorpus.Example> again = new Warmup(recipe, quiet).corpus(dir.resolve("2"));
        List<WarmupCorpus.Example> otherSeed = new Warmup(new WarmupRecipe(60, 300, 32, 64, 2, 4,
                2, 512, 40, 8, 3e-3, 6), quiet).corpus(dir.resolve("3"));

        assertThat(first).isNotEmpty().isEqualTo(again).isNotEqualTo(otherSeed);
    }
}
