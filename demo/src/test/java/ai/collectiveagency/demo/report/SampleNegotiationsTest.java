package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.report.SampleNegotiation.Line;
import org.junit.jupiter.api.Test;

/** Which groups the report shows, and what it shows of one. */
class SampleNegotiationsTest {

    @Test
    void keepsTheEarliestGroupsOfTheLowestVersionAndARollingWindowOfTheNewest() {
        SampleNegotiations samples = new SampleNegotiations(2);
        for (int i = 0; i < 4; i++) {
            samples.add(negotiation("v0-" + i, 0, "x", 0.1));
        }
        for (int i = 0; i < 3; i++) {
            samples.add(negotiation("v1-" + i, 1, "x", 0.2));
        }
        for (int i = 0; i < 5; i++) {
            samples.add(negotiation("v2-" + i, 2, "x", 0.3));
        }
        samples.add(negotiation("v1-late", 1, "x", 0.2));

        assertThat(samples.first()).extracting(SampleNegotiation::groupId)
                .containsExactly("v0-0", "v0-1");
        assertThat(samples.last()).extracting(SampleNegotiation::groupId)
                .containsExactly("v2-3", "v2-4");
    }

    @Test
    void aLowerVersionArrivingLateStartsTheFirstSideAgain() {
        SampleNegotiations samples = new SampleNegotiations(2);
        samples.add(negotiation("v3-0", 3, "x", 0.1));
        samples.add(negotiation("v1-0", 1, "x", 0.1));

        assertThat(samples.first()).extracting(SampleNegotiation::groupId)
                .containsExactly("v1-0");
        assertThat(samples.last()).extracting(SampleNegotiation::groupId)
                .containsExactly("v3-0");
    }

    @Test
    void aSampleIsTheFirstAgreedTrajectoryWithItsSpeakersResolutionAndReward() {
        SampleNegotiation sample = SampleNegotiation.of(
                negotiation("g", 4, "share by day", 0.1, 0.7, 0.4));

        assertThat(sample.policyVersion()).isEqualTo(4);
        assertThat(sample.title()).isEqualTo("The river g");
        assertThat(sample.personaA()).isEqualTo("Ana (farmer)");
        assertThat(sample.dialogue()).containsExactly(
                new Line("Ana", "Ana opens: share by day"),
                new Line("Ben", "Ben answers: share by day"));
        assertThat(sample.resolution()).isEqualTo("Resolved: share by day");
        assertThat(sample.reward()).isEqualTo(0.7);
        assertThat(sample.groupMeanReward()).isCloseTo(0.4, within(1e-12));
        assertThat(sample.trajectories()).isEqualTo(3);
    }

    @Test
    void aGroupWithoutAgreementShowsItsFirstTrajectoryWithoutResolution() {
        SampleNegotiation sample = SampleNegotiation.of(negotiation("g", 0, "no", 0.2));

        assertThat(sample.resolution()).isNull();
        assertThat(sample.reward()).isEqualTo(0.2);
    }
}
