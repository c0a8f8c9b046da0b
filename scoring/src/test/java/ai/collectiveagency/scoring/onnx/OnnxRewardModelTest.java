package ai.collectiveagency.scoring.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.scoring.fixtures.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ONNX scorer against the {@code reward-tiny-onnx} reference (and -Dfixtures.dir). */
class OnnxRewardModelTest {

    static List<Path> folders() {
        return Fixtures.cases("reward-tiny-onnx");
    }

    @ParameterizedTest
    @MethodSource("folders")
    void tokenIdsMatchExactlyAndScoresWithin1e4(Path folder) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(folder.resolve("expected.json").toFile());
        List<JsonNode> cases = StreamSupport.stream(expected.get("cases").spliterator(), false)
                .toList();
        try (OnnxRewardModel model = OnnxRewardModel.load(folder, 512, 1)) {
            for (JsonNode c : cases) {
                long[] ids = StreamSupport.stream(c.get("input_ids").spliterator(), false)
                        .mapToLong(JsonNode::asLong).toArray();
                assertThat(model.tokenize(c.get("text").asText())).as(c.get("text").asText())
                        .containsExactly(ids);
            }
            List<String> texts = cases.stream().map(c -> c.get("text").asText()).toList();
            float[] batched = model.score(texts);
            for (int i = 0; i < cases.size(); i++) {
                double score = cases.get(i).get("score").asDouble();
                assertThat((double) batched[i]).as("batched " + texts.get(i))
                        .isCloseTo(score, within(1e-4));
                assertThat((double) model.score(List.of(texts.get(i)))[0]).as("alone")
                        .isCloseTo(score, within(1e-4));
            }
        }
    }

    @Test
    void aFolderWithoutTheModelFileIsRefusedByName(@TempDir Path empty) {
        assertThatThrownBy(() -> OnnxRewardModel.load(empty, 512, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.onnx: missing");
    }

    @Test
    void aFileThatIsNoOnnxModelIsRefused(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("model.onnx"), "not a model");
        Files.copy(Fixtures.shipped("reward-tiny-onnx").resolve("tokenizer.json"),
                folder.resolve("tokenizer.json"));

        assertThatThrownBy(() -> OnnxRewardModel.load(folder, 512, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONNX Runtime cannot load it");
    }

    @Test
    void longTextsAreCutToMaxTokens() {
        try (OnnxRewardModel model = OnnxRewardModel.load(Fixtures.shipped("reward-tiny-onnx"),
                4, 1)) {
            assertThat(model.tokenize("both sides gain more than they lose")).hasSize(4);
            assertThat(model.score(new ArrayList<>(List.of("both sides gain more than they lose",
                    "we cooperate .")))).hasSize(2);
        }
    }
}
