package ai.collectiveagency.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GenerationDefaultsTest {

    static List<Path> qwenFixtures() {
        return TestFolders.qwenFixtures();
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void eosIdsAreTheUnionOfAllThreeFiles(Path folder) {
        // generation_config: [378, 376]; config: 378; tokenizer_config: "<|im_end|>" = 378
        SpecialTokenIds ids = load(folder).tokenIds();
        assertThat(ids.eosIds()).containsExactly(378, 376);
        assertThat(ids.eosIdArray()).containsExactly(378, 376);
        assertThat(ids.isEos(376)).isTrue();
        assertThat(ids.isEos(377)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void qwenHasNoBosAndPadsWithItsPadToken(Path folder) {
        GenerationDefaults defaults = load(folder);
        assertThat(defaults.tokenIds().bosId()).isEmpty();
        assertThat(defaults.tokenIds().padId()).isEqualTo(376); // "<|endoftext|>"
        assertThat(defaults.sampling()).isEqualTo(SamplingDefaults.NONE);
    }

    @Test
    void tokenizerEosObjectAloneIsEnoughAndPadFallsBackToIt(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of(
                "tokenizer_config.json", "{\"eos_token\": {\"content\": \"<|endoftext|>\"}}",
                "config.json", "{\"eos_token_id\": null, \"bos_token_id\": 377}"));
        SpecialTokenIds ids = load(folder).tokenIds();
        assertThat(ids.eosIds()).containsExactly(376);
        assertThat(ids.padId()).isEqualTo(376);
        assertThat(ids.bosId()).hasValue(377);
    }

    @Test
    void samplingSettingsComeFromTheGenerationConfig(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of("generation_config.json", """
                {"eos_token_id": 378, "pad_token_id": 376, "do_sample": true,
                 "temperature": 0.7, "top_p": 0.8, "top_k": 20}"""));
        GenerationDefaults defaults = load(folder);
        assertThat(defaults.sampling().temperature()).hasValue(0.7);
        assertThat(defaults.sampling().topP()).hasValue(0.8);
        assertThat(defaults.sampling().topK()).hasValue(20);
        assertThat(defaults.sampling().doSample()).hasValue(true);
        assertThat(defaults.tokenIds().padId()).isEqualTo(376);
    }

    @Test
    void aFolderWithoutAnyEosIsRefusedNamingTheFolder(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of("config.json", "{}"));
        assertThatThrownBy(() -> load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("no end-of-sequence token");
    }

    @Test
    void anEosTokenOutsideTheVocabularyIsRefusedNamingTheFile(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir,
                Map.of("tokenizer_config.json", "{\"eos_token\": \"</s>\"}"));
        assertThatThrownBy(() -> load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(folder.resolve("tokenizer_config.json").toString())
                .hasMessageContaining("</s>");
    }

    @Test
    void aMalformedEosIdIsRefusedNamingTheFile(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir,
                Map.of("generation_config.json", "{\"eos_token_id\": [\"378\"]}"));
        assertThatThrownBy(() -> load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(folder.resolve("generation_config.json").toString())
                .hasMessageContaining("eos_token_id");
    }

    @Test
    void aMalformedSamplingSettingIsRefusedNamingTheFile(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir,
                Map.of("generation_config.json", "{\"eos_token_id\": 378, \"top_k\": \"20\"}"));
        assertThatThrownBy(() -> load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(folder.resolve("generation_config.json").toString())
                .hasMessageContaining("top_k");
    }

    private static GenerationDefaults load(Path folder) {
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            return GenerationDefaults.load(folder, tokenizer);
        }
    }
}
