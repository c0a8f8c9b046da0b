package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.samples.SampleLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report reads from a run's sample files: cards, version and held-out figures. */
class RunSamplesTest {

    @TempDir
    Path run;

    @Test
    void heldOutRewardOverTheFirstAndLastTwentyHeldOutGroupsWithTheirIntervals() {
        List<Double> means = new ArrayList<>();
        try (SampleLog log = SampleLog.open(run)) {
            for (int i = 0; i < 60; i++) {
                // Training groups between held-out ones do not count.
                log.append(negotiation("train-" + i, i, "x", 0.9, 0.9));
                double low = 0.01 * i;
                log.append(negotiation("held-" + i, i, true, "plan " + i, low, low + 0.02));
                means.add(low + 0.01);
            }
        }

        HeldOutFigures figures = RunSamples.read(run).heldOut();
        assertThat(figures.groups()).isEqualTo(60);
        assertCloseTo(figures.first20(), MeanInterval.of(means.subList(0, 20)));
        assertCloseTo(figures.last20(), MeanInterval.of(means.subList(40, 60)));
        assertThat(figures.first20().mean()).isCloseTo(0.105, within(1e-12));
        assertThat(figures.last20().mean()).isCloseTo(0.505, within(1e-12));
        assertThat(figures.roseBeyondIntervals()).isTrue();
    }

    private static void assertCloseTo(MeanInterval actual, MeanInterval expected) {
        assertThat(actual.n()).isEqualTo(expected.n());
        assertThat(actual.mean()).isCloseTo(expected.mean(), within(1e-12));
        assertThat(actual.ciLow()).isCloseTo(expected.ciLow(), within(1e-12));
        assertThat(actual.ciHigh()).isCloseTo(expected.ciHigh(), within(1e-12));
    }

    @Test
    void withFewerThanFortyHeldOutGroupsTheTwoEndsDoNotOverlap() {
        try (SampleLog log = SampleLog.open(run)) {
            for (int i = 0; i < 7; i++) {
                log.append(negotiation("held-" + i, i, true, "x", 0.1 * i));
            }
        }

        HeldOutFigures figures = RunSamples.read(run).heldOut();
        assertThat(figures.first20().n()).isEqualTo(3);
        assertThat(figures.last20().n()).isEqualTo(3);
        assertThat(figures.last20().mean()).isCloseTo(0.5, within(1e-12)); // 0.4, 0.5, 0.6
    }

    @Test
    void theDistinctShareCountsTheLastFiftyHeldOutResolutionsOnly() {
        try (SampleLog log = SampleLog.open(run)) {
            // Early on every group says something of its own; at the end two sentences repeat.
            for (int i = 0; i < 40; i++) {
                log.append(negotiation("early-" + i, 0, true, "own plan " + i, 0.1, 0.1, 0.1));
            }
            for (int i = 0; i < 25; i++) {
                log.append(negotiation("late-" + i, 9, true, i % 2 == 0 ? "same" : "other",
                        0.2, 0.2, 0.2));
                log.append(negotiation("train-" + i, 9, "trained " + i, 0.2, 0.2, 0.2));
            }
        }

        HeldOutFigures figures = RunSamples.read(run).heldOut();
        // Two resolutions a group (the first trajectory ends without agreement): the last 25.
        assertThat(figures.last50Resolutions()).isEqualTo(50);
        assertThat(figures.last50Distinct()).isEqualTo(2);
        assertThat(figures.last50DistinctShare()).isEqualTo(0.04);
    }

    @Test
    void theCardsAndTheirVersionsFiguresComeFromTheFile() {
        try (SampleLog log = SampleLog.open(run)) {
            log.append(negotiation("first", 0, "split the river", 0.1, 0.3));
            log.append(negotiation("last", 7, "take turns", 0.5, 0.7));
        }

        RunSamples samples = RunSamples.read(run);
        assertThat(samples.first()).extracting(SampleNegotiation::groupId)
                .containsExactly("first");
        assertThat(samples.last()).extracting(SampleNegotiation::groupId)
                .containsExactly("last");
        assertThat(samples.firstFigures().orElseThrow().rewardMean())
                .isCloseTo(0.2, within(1e-12));
        assertThat(samples.lastFigures().orElseThrow().version()).isEqualTo(7);
        assertThat(samples.skippedLines()).isZero();
    }

    @Test
    void aRunWithoutSamplesHasNoCardsAndNoHeldOutFigures() {
        RunSamples samples = RunSamples.read(run);

        assertThat(samples.first()).isEmpty();
        assertThat(samples.firstFigures()).isEmpty();
        assertThat(samples.heldOut().groups()).isZero();
        assertThat(samples.heldOut().first20().n()).isZero();
        assertThat(samples.heldOut().last50DistinctShare()).isNaN();
        assertThat(samples.heldOut().inWords()).startsWith("too few held-out groups");
    }
}
