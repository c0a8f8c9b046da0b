package ai.collectiveagency.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tokenizer trained here loads in Hugging Face's tokenizers (through DJL) and is lossless. */
class ByteLevelBpeTrainerTest {

    private static final List<String> CORPUS = List.of(
            "Both farms need the river. We share the water and review it together.",
            "The farmer wants water; the mayor wants tourism. Can we share?",
            "Agreed, if the river is protected too.",
            "No. Water comes first.");

    @TempDir
    Path dir;

    @Test
    void anyTextSurvivesEncodingAndDecoding() throws Exception {
        try (TextTokenizer tokenizer = trained(400)) {
            for (String text : List.of(CORPUS.get(0), "Ünïcödé, emoji 🌊 and\ttabs\n\nnewlines",
                    "  leading spaces and 123 numbers")) {
                assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
            }
        }
    }

    @Test
    void frequentWordsBecomeSingleTokensAndTheVocabularyHasTheRequestedSize() throws Exception {
        try (TextTokenizer tokenizer = trained(400)) {
            assertThat(tokenizer.encode(" water")).hasSize(1);
            assertThat(tokenizer.encode(" river")).hasSize(1);
            assertThat(tokenizer.encode("Both farms need the river.").length)
                    .isLessThan("Both farms need the river.".length() / 2);
            assertThat(tokenizer.vocabSize()).isLessThanOrEqualTo(400 + 3);
            assertThat(tokenizer.tokenId("<|im_end|>")).isPresent();
        }
    }

    @Test
    void trainingIsDeterministic() throws Exception {
        Path a = write(dir.resolve("a"), 300);
        Path b = write(dir.resolve("b"), 300);

        assertThat(Files.readString(a.resolve(TextTokenizer.FILE_NAME)))
                .isEqualTo(Files.readString(b.resolve(TextTokenizer.FILE_NAME)));
    }

    private TextTokenizer trained(int vocab) throws Exception {
        return TextTokenizer.load(write(dir.resolve("tok"), vocab));
    }

    private static Path write(Path folder, int vocab) throws Exception {
        Files.createDirectories(folder);
        ByteLevelBpeTrainer trainer = new ByteLevelBpeTrainer();
        for (int copy = 0; copy < 5; copy++) {
            CORPUS.forEach(trainer::add);
        }
        ByteLevelBpeTrainer.write(trainer.train(vocab),
                List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
                folder.resolve(TextTokenizer.FILE_NAME));
        return folder;
    }
}
