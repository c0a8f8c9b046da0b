package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResumePointTest {

    @Test
    void theIndexIsReadFromTaskIdsOfThisRunsSeedOnly() {
        assertThat(ResumePoint.indexOf("comb-1f-42", 31)).hasValue(42);
        assertThat(ResumePoint.indexOf("llm-1f-7", 31)).hasValue(7);
        assertThat(ResumePoint.indexOf("comb-20-42", 31)).isEmpty();
        assertThat(ResumePoint.indexOf("someone-elses-key", 31)).isEmpty();
        assertThat(ResumePoint.indexOf(null, 31)).isEmpty();
    }
}
