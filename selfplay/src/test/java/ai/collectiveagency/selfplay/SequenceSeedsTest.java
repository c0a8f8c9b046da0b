package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

/** Every sequence of a rollout draws from its own stream. */
class SequenceSeedsTest {

    @Test
    void seedsDifferAcrossTasksTrajectoriesAndSteps() {
        Set<Long> seeds = new HashSet<>();
        for (long task = 0; task < 4; task++) {
            for (int trajectory = 0; trajectory < 8; trajectory++) {
                for (int step = 0; step <= 7; step++) {
                    seeds.add(SequenceSeeds.of(task, trajectory, step));
                }
            }
        }

        assertThat(seeds).hasSize(4 * 8 * 8);
    }

    @Test
    void aSeedIsAFunctionOfItsInputsOnly() {
        assertThat(SequenceSeeds.of(42, 3, 2)).isEqualTo(SequenceSeeds.of(42, 3, 2));
    }
}
