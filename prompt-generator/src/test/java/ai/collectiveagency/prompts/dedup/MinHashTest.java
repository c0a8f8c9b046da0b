package ai.collectiveagency.prompts.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MinHashTest {

    static final String LONG_TEXT = "The river town has argued about water for a decade. Farmers "
            + "upstream want to keep their historic allocations, while the growing suburbs "
            + "downstream need more for new homes. The regional council must approve any change "
            + "by a two-thirds vote, and the federal grant is lost if work does not start within "
            + "six months. A hydrologist has shown that the aquifer is falling every year, and "
            + "the fishing families at the estuary say the salmon runs are already half of what "
            + "they were when their parents fished. Nobody trusts the last study, which the "
            + "water company paid for, so any agreement must rest on data all sides can check.";

    private final MinHash minHash = new MinHash(3, 128);

    private double estimate(String a, String b) {
        return MinHash.estimatedJaccard(minHash.signature(a), minHash.signature(b));
    }

    private double exact(String a, String b) {
        Set<String> sa = minHash.shingles(a);
        Set<String> sb = minHash.shingles(b);
        Set<String> union = new HashSet<>(sa);
        union.addAll(sb);
        Set<String> inter = new HashSet<>(sa);
        inter.retainAll(sb);
        return (double) inter.size() / union.size();
    }

    @Test
    void identicalTextsAreDuplicates() {
        NearDuplicateFilter filter = new NearDuplicateFilter();
        assertThat(filter.admit(LONG_TEXT)).isTrue();
        assertThat(filter.admit(LONG_TEXT)).isFalse();
        assertThat(filter.droppedCount()).isEqualTo(1);
        assertThat(estimate(LONG_TEXT, LONG_TEXT)).isEqualTo(1.0);
    }

    @Test
    void oneWordChangeOfALongTextIsANearDuplicate() {
        String changed = LONG_TEXT.replace("aquifer", "reservoir");
        assertThat(changed).isNotEqualTo(LONG_TEXT);
        NearDuplicateFilter filter = new NearDuplicateFilter();
        assertThat(filter.admit(LONG_TEXT)).isTrue();
        assertThat(filter.admit(changed)).isFalse();
    }

    @Test
    void unrelatedTextsAreNotDuplicates() {
        String other = "A hospital administrator and a nurses' union disagree about overnight "
                + "staffing on the children's ward, where two senior nurses resigned last month.";
        NearDuplicateFilter filter = new NearDuplicateFilter();
        assertThat(filter.admit(LONG_TEXT)).isTrue();
        assertThat(filter.admit(other)).isTrue();
        assertThat(filter.admittedCount()).isEqualTo(2);
        assertThat(estimate(LONG_TEXT, other)).isLessThan(0.1);
    }

    @Test
    void caseAndPunctuationDoNotMakeTextsDifferent() {
        assertThat(minHash.shingles("Water, RIGHTS; for all!"))
                .isEqualTo(minHash.shingles("water rights for all"));
    }

    @ParameterizedTest(name = "cut at word {0}")
    @CsvSource({"20", "45", "70", "90"})
    void estimatedJaccardIsWithinPointOneOfTheExactJaccard(int cut) {
        String[] words = LONG_TEXT.split(" ");
        String prefix = String.join(" ", java.util.Arrays.copyOfRange(words, 0, cut));
        double exact = exact(LONG_TEXT, prefix);
        assertThat(estimate(LONG_TEXT, prefix)).isCloseTo(exact, within(0.1));
    }
}
