package ai.collectiveagency.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TextTokenizerTest {

    static List<Path> qwenFixtures() {
        return TestFolders.qwenFixtures();
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void encodesTheReferenceTextToTheReferenceIds(Path folder) {
        JsonNode expected = TestFolders.expected(folder);
        int[] referenceIds = StreamSupport.stream(expected.path("input_ids").spliterator(), false)
                .mapToInt(JsonNode::asInt).toArray();
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            int[] ids = tokenizer.encode(expected.path("text").asText());
            assertThat(ids).containsExactly(referenceIds);
        }
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void decodingTheIdsGivesBackTheText(Path folder) {
        String text = TestFolders.expected(folder).path("text").asText();
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void specialTokensWrittenInTheTextMapToTheirIds(Path folder) {
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            int[] ids = tokenizer.encodeWithoutSpecialTokens("<|im_start|>user\nhi<|im_end|>");
            assertThat(ids[0]).isEqualTo(377);
            assertThat(ids[ids.length - 1]).isEqualTo(378);
            assertThat(tokenizer.decode(ids)).isEqualTo("<|im_start|>user\nhi<|im_end|>");
            assertThat(tokenizer.decode(ids, true)).isEqualTo("user\nhi");
        }
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void vocabularyCountsAddedTokensAndFindsTokensByText(Path folder) {
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(379);
            assertThat(tokenizer.tokenId("<|im_end|>")).hasValue(378);
            assertThat(tokenizer.tokenId("<|endoftext|>")).hasValue(376);
            assertThat(tokenizer.tokenId("no such token")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void qwenConfigAddsNoBos(Path folder) {
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            int[] plain = tokenizer.encodeWithoutSpecialTokens("hi");
            assertThat(tokenizer.encode("hi")).containsExactly(plain);
        }
    }

    @Test
    void addBosTokenPrependsTheBosIdToPlainTextOnly(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of("tokenizer_config.json",
                "{\"add_bos_token\": true, \"bos_token\": {\"content\": \"<|endoftext|>\"}}"));
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            int[] plain = tokenizer.encodeWithoutSpecialTokens("hi");
            assertThat(tokenizer.encode("hi")).startsWith(376).endsWith(plain)
                    .hasSize(plain.length + 1);
        }
    }

    @Test
    void addBosTokenWithoutABosTokenIsRefused(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir,
                Map.of("tokenizer_config.json", "{\"add_bos_token\": true}"));
        assertThatThrownBy(() -> TextTokenizer.load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(folder.resolve("tokenizer_config.json").toString())
                .hasMessageContaining("bos_token");
    }

    @Test
    void missingTokenizerJsonIsNamedInTheError(@TempDir Path dir) {
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void malformedTokenizerJsonIsNamedInTheError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void tokenizerJsonWithoutAVocabularyIsNamedInTheError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("model.vocab");
    }
}
