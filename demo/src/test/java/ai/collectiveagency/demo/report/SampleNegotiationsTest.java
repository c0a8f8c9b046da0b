package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.samples.SampleLine;
import ai.collectiveagency.demo.samples.SampleLines;
import org.junit.jupiter.api.Test;

/** Which groups the report shows, what it shows of one, and each side's version figures. */
class SampleNegotiationsTest {

    @Test
    void keepsTheEarliestGroupsOfTheLowestVersionAndARollingWindowOfTheNewest() {
        SampleNegotiations samples = new SampleNegotiations(2);
        for (int i = 0; i < 4; i++) {
            samples.add(SampleLines.of(negotiation("v0-" + i, 0, "x", 0.1)));
        }
        for (int i = 0; i < 3; i++) {
            samples.add(SampleLines.of(negotiation("v1-" + i, 1, "x", 0.2)));
        }
        for (int i = 0; i < 5; i++) {
            samples.add(SampleLines.of(negotiation("v2-" + i, 2, "x", 0.3)));
        }
        samples.add(SampleLines.of(negotiation("v1-late", 1, "x", 0.2)));

        assertThat(samples.first()).extracting(SampleNegotiation::groupId)
                .containsExactly("v0-0", "v0-1");
        assertThat(samples.last()).extracting(SampleNegotiation::groupId)
                .containsExactly("v2-3", "v2-4");
    }

    @Test
    void aLowerVersionArrivingLateStartsTheFirstSideAgain() {
        SampleNegotiations samples = new SampleNegotiations(2);
        samples.add(SampleLines.of(negotiation("v3-0", 3, "x", 0.1)));
        samples.add(SampleLines.of(negotiation("v1-0", 1, "x", 0.1)));

        assertThat(samples.first()).extracting(SampleNegotiation::groupId)
                .containsExactly("v1-0");
        assertThat(samples.last()).extracting(SampleNegotiation::groupId)
                .containsExactly("v3-0");
        assertThat(samples.firstFigures().orElseThrow().version()).isEqualTo(1);
        assertThat(samples.firstFigures().orElseThrow().groups()).isEqualTo(1);
    }

    @Test
    void eachSideCountsAllItsVersionsGroupsNotOnlyTheShownOnes() {
        SampleNegotiations samples = new SampleNegotiations(1);
        // Three trajectories a group: the first without agreement, two agreeing on the text.
        samples.add(SampleLines.of(negotiation("a", 0, "split the river", 0.1, 0.2, 0.3)));
        samples.add(SampleLines.of(negotiation("b", 0, "take turns", 0.1, 0.2, 0.3)));
        samples.add(SampleLines.of(negotiation("c", 5, "one plan", 0.5, 0.5, 0.5)));
        samples.add(SampleLines.of(negotiation("d", 5, "one plan", 0.5, 0.5, 0.5)));

        VersionFigures first = samples.firstFigures().orElseThrow();
        assertThat(first.groups()).isEqualTo(2);
        assertThat(first.trajectories()).isEqualTo(6);
        assertThat(first.rewardMean()).isCloseTo(0.2, within(1e-12));
        assertThat(first.agreed()).isEqualTo(4);
        assertThat(first.resolutions()).isEqualTo(4);
        assertThat(first.distinctShare()).isEqualTo(0.5);
        VersionFigures last = samples.lastFigures().orElseThrow();
        assertThat(last.version()).isEqualTo(5);
        assertThat(last.distinctResolutions()).isEqualTo(1);
        assertThat(last.distinctShare()).isEqualTo(0.25);
        assertThat(samples.last()).extracting(SampleNegotiation::groupId).containsExactly("d");
    }

    @Test
    void aSampleIsTheFirstAgreedTrajectoryWithItsSpeakersResolutionAndReward() {
        SampleNegotiation sample = SampleNegotiation.of(SampleLines.of(
                negotiation("g", 4, "share by day", 0.1, 0.7, 0.4)));

        assertThat(sample.policyVersion()).isEqualTo(4);
        assertThat(sample.title()).isEqualTo("The river g");
        assertThat(sample.personaA().name()).isEqualTo("Ana");
        assertThat(sample.personaA().role()).isEqualTo("farmer");
        assertThat(sample.dialogue()).containsExactly(
                new SampleLine.Turn("Ana", "Ana opens: share by day"),
                new SampleLine.Turn("Ben", "Ben answers: share by day"));
        assertThat(sample.resolution()).isEqualTo("Resolved: share by day");
        assertThat(sample.reward()).isEqualTo(0.7);
        assertThat(sample.groupMeanReward()).isCloseTo(0.4, within(1e-12));
        assertThat(sample.trajectories()).isEqualTo(3);
    }

    @Test
    void aGroupWithoutAgreementShowsItsFirstTrajectoryWithoutResolution() {
        SampleNegotiation sample = SampleNegotiation.of(SampleLines.of(
                negotiation("g", 0, "no", 0.2)));

        assertThat(sample.resolution()).isNull();
        assertThat(sample.reward()).isEqualTo(0.2);
    }
}
