package ai.collectiveagency.policy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.LlamaConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds count the work that runs. A generation: the prompt's pass (its logits give the
 * first new token), then one step per further token. A LoRA step: the frozen base's backward
 * costs one forward, attention's (no weights) two, each adapter's three. Worked by hand for a
 * model of width 8, MLP 16, 2 layers, 2 query heads and 1 KV head of 4, vocabulary 10 (tied):
 * 576 weights a layer, 1,152 in the blocks, 80 in the head.
 */
class FlopModelTest {

    private static final LlamaConfig CONFIG = new LlamaConfig("llama", 8, 16, 2, 2, 1, 4, 10,
            64, 1e-5, 10000, true, false, null);
    private static final FlopModel FLOPS = new FlopModel(CONFIG);
    /** 1 GFLOP/s and reads too fast to matter: seconds are FLOPs / 1e9. */
    private static final MachineBounds FLOP_BOUND = new MachineBounds(1, 1, 1e12, 1e12);
    /** 1 GB/s of reads and FLOPs too fast to matter: seconds are bytes / 1e9. */
    private static final MachineBounds READ_BOUND = new MachineBounds(1e12, 1e12, 1e12, 1);

    @Test
    void thePromptsPassIsCountedOnceWithTheHeadForItsLastPositionOnly() {
        // 2 rows x 3 tokens: blocks 2·1152·6, attention 4·2·2·4·6·2 (causal mean 2),
        // head 2·80·2
        assertThat(FLOPS.prefill(2, 3)).isEqualTo(13_824 + 768 + 320);
        assertThat(FLOPS.decodeBoundSeconds(2, 3, 1, FLOP_BOUND))
                .isCloseTo(14_912e-9, within(1e-15));
        // the prompt's pass reads every weight once: 4 bytes x 1,232
        assertThat(FLOPS.decodeBoundSeconds(2, 3, 1, READ_BOUND))
                .isCloseTo(4_928e-9, within(1e-15));
    }

    @Test
    void eachFurtherTokenIsOneStepOverTheSlotsUpToItsOwn() {
        // steps feed the 1st and 2nd new tokens over contexts of 4 and 5 slots:
        // 2 rows · 2·1232 + attention 4·2·2·4 · 2 rows · context
        assertThat(FLOPS.decodeBoundSeconds(2, 3, 3, FLOP_BOUND))
                .isCloseTo((14_912 + 4_928 + 512 + 4_928 + 640) * 1e-9, within(1e-15));
        // weights each pass, plus the cache read by each step: 2 rows x context x 64 bytes
        assertThat(FLOPS.decodeBoundSeconds(2, 3, 3, READ_BOUND))
                .isCloseTo((4_928 + 4_928 + 512 + 4_928 + 640) * 1e-9, within(1e-15));
    }

    @Test
    void aLoraStepCountsAttentionsBackwardTwiceAndTheFrozenWeightsOnce() {
        // forward of 1 x 3 tokens, head on 2: blocks 2·1152·3, head 2·80·2, attention
        // 4·2·2·4·3·2 (causal mean 2)
        double forward = 6_912 + 320 + 384;
        assertThat(FLOPS.trainingStep(1, 3, 2)).isEqualTo(3 * forward);
        // rank 1 on q_proj (8 x 8): 2·1·(8 + 8) FLOPs a token and layer, 2 layers, 3 tokens
        LoraConfig lora = new LoraConfig(1, 2, 0, List.of("q_proj"), 0);
        assertThat(FLOPS.trainingStepLora(1, 3, 2, lora))
                .isEqualTo(2 * forward + 384 + 3 * 192);
    }
}
