package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The judge's answer read robustly; anything else is not an agreement. */
class YesNoAnswerTest {

    @ParameterizedTest
    @ValueSource(strings = {"YES", "yes", "Yes.", " yes\n", "**Yes**", "Answer: YES",
        "Yes, they agreed.", "yes and no"})
    void yesVariantsAreYes(String answer) {
        assertThat(YesNoAnswer.parse(answer)).contains(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NO", "no", "No.", "nO!", "**No**", "Answer: no", "No, not yet"})
    void noVariantsAreNo(String answer) {
        assertThat(YesNoAnswer.parse(answer)).contains(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "maybe", "yesterday", "nothing", "noyes", "Agreed", "???"})
    void garbageIsUnparseable(String answer) {
        assertThat(YesNoAnswer.parse(answer)).isEmpty();
    }
}
