package ai.collectiveagency.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.policy.tokenizer.TextTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The facade over a model folder: chat prompts, stop strings, token-id-only models. */
class PolicyTest {

    private static final Path QWEN = Fixtures.shipped("qwen2-tiny-random");

    @Test
    void encodeChatGivesTheTokenizerIdsOfTheRenderedPrompt() throws IOException {
        JsonNode example = expected().path("chat_example");
        String rendered = example.path("rendered").asText();
        JsonNode message = example.path("messages").get(0);

        try (Policy policy = Policy.load(QWEN);
                TextTokenizer tokenizer = TextTokenizer.load(QWEN)) {
            int[] ids = policy.encodeChat(List.of(
                    new Message(message.path("role").asText(), message.path("content").asText())));

            assertThat(ids).containsExactly(tokenizer.encodeWithoutSpecialTokens(rendered));
            assertThat(tokenizer.decode(ids, false)).isEqualTo(rendered);
        }
    }

    @Test
    void withoutWeightsEncodesAndDecodesAsTheLoadedPolicyButCannotGenerate() throws IOException {
        List<Message> chat = List.of(Message.user("Share the river's water fairly."));
        try (Policy full = Policy.load(QWEN); Policy light = Policy.withoutWeights(QWEN)) {
            int[] ids = light.encodeChat(chat);

            assertThat(ids).containsExactly(full.encodeChat(chat));
            assertThat(light.decode(ids)).isEqualTo(full.decode(ids));
            assertThat(light.endOfSequence()).isEqualTo(full.endOfSequence());
            assertThat(light.maxPositions()).isEqualTo(full.model().config().maxPositions());
            assertThat(light.hasWeights()).isFalse();
            assertThatThrownBy(light::model).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("without its weights");
            assertThatThrownBy(() -> light.generate(List.of(ids), SamplingParams.greedy(2),
                    List.of())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void stopStringEndsTheSequence() throws IOException {
        int[] prompt = ints(expected().path("input_ids"));
        try (Policy policy = Policy.load(QWEN)) {
            SamplingParams params = SamplingParams.greedy(10);
            int[] greedy = policy.generate(List.of(prompt), params, List.of()).get(0).tokenIds();
            String stop = policy.decode(Arrays.copyOfRange(greedy, 1, 3));
            assertThat(stop).isNotBlank();

            Generation out = policy.generate(List.of(prompt), params, List.of(stop)).get(0);

            assertThat(out.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(out.tokenIds()).hasSizeLessThanOrEqualTo(3)
                    .containsExactly(Arrays.copyOf(greedy, out.tokenIds().length));
            assertThat(policy.decode(out.tokenIds())).contains(stop);
        }
    }

    @Test
    void modelWithoutTokenizerLoadsButRefusesText() {
        try (Policy policy = Policy.load(Fixtures.shipped("stories260k"))) {
            assertThat(policy.hasTokenizer()).isFalse();
            assertThatThrownBy(() -> policy.encode("once upon a time"))
                    .isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("tokenizer.json");
        }
    }

    private static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(QWEN.resolve("expected.json").toFile());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
