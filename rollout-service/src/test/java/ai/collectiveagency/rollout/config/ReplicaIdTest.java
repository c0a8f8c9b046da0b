package ai.collectiveagency.rollout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaIdTest {

    @Test
    void withoutASettingTheIdIsTheHostAndPidAndNamesAFile() {
        String id = ReplicaId.of(Optional.empty());

        assertThat(id).endsWith("-" + ProcessHandle.current().pid());
        assertThat(ReplicaId.valid(id)).isTrue();
    }

    @Test
    void aConfiguredIdIsUsedAndOneThatCannotNameAFileIsInvalid() {
        assertThat(ReplicaId.of(Optional.of(" rollout-7f9c-0 "))).isEqualTo("rollout-7f9c-0");
        assertThat(ReplicaId.of(Optional.of(""))).endsWith("-" + ProcessHandle.current().pid());
        assertThat(ReplicaId.valid("../trainer")).isFalse();
        assertThat(ReplicaId.valid("a/b")).isFalse();
    }
}
