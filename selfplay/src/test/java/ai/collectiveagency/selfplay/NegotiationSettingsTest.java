package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The paper's defaults, and clear refusals of impossible settings. */
class NegotiationSettingsTest {

    private static final TurnSampling TURNS = new TurnSampling(0.7, 0.95, 16);

    @Test
    void defaultsFollowThePaper() {
        NegotiationSettings settings = NegotiationSettings.defaults();

        assertThat(settings.groupSize()).isEqualTo(8);
        assertThat(settings.maxTurns()).isEqualTo(7);
        assertThat(settings.contextTurns()).isEqualTo(2);
        assertThat(settings.dialogue().temperature()).isEqualTo(0.7);
        assertThat(settings.dialogue().topP()).isEqualTo(0.95);
        assertThat(settings.resolution().temperature()).isEqualTo(0.1);
        assertThat(settings.resolution().topP()).isEqualTo(0.95);
    }

    @Test
    void emptyGroupIsRefused() {
        assertThatThrownBy(() -> new NegotiationSettings(0, 7, 2, TURNS, TURNS, TURNS, 4, 1, false))
                .hasMessage("group size must be at least 1, got 0");
    }

    @Test
    void aNegotiationNeedsBothSidesToSpeak() {
        assertThatThrownBy(() -> new NegotiationSettings(8, 1, 2, TURNS, TURNS, TURNS, 4, 1, false))
                .hasMessage("max turns must be at least 2, got 1");
    }

    @Test
    void negativeContextIsRefused() {
        assertThatThrownBy(() -> new NegotiationSettings(8, 7, -1, TURNS, TURNS, TURNS, 4, 1, false))
                .hasMessage("context turns must be at least 0, got -1");
    }

    @Test
    void badSamplingIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new TurnSampling(0.7, 1.5, 16))
                .hasMessageContaining("top-p must be in (0, 1]");
    }

    @Test
    void thoughtsLongerThanTheOthersTurnAreRefused() {
        NegotiationSettings plain = new NegotiationSettings(8, 7, 2, TURNS, TURNS, TURNS, 4, 1,
                false);

        assertThatThrownBy(() -> plain.withReasoning(Reasoning.async(17)))
                .hasMessageStartingWith("max thought tokens (17) must not exceed the dialogue"
                        + " turns' max tokens (16)");
        assertThat(plain.withReasoning(Reasoning.async(16)).thoughts())
                .isEqualTo(new TurnSampling(0.7, 0.95, 16));
    }
}
