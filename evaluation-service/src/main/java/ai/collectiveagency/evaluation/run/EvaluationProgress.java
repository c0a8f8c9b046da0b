package ai.collectiveagency.evaluation.run;

/** Told what an evaluation is doing, for a progress bar or a log. */
public interface EvaluationProgress {

    /** No progress shown. */
    EvaluationProgress NONE = new EvaluationProgress() {
        @Override
        public void started(int totalTasks) {
        }

        @Override
        public void played(String what, int tasks) {
        }
    };

    /** @param totalTasks tasks both contestants will play, over every set and decoding */
    void started(int totalTasks);

    /** @param tasks more tasks played (or reused from an earlier evaluation) */
    void played(String what, int tasks);
}
