package ai.collectiveagency.selfplay;

/**
 * A task whose first prompt and token budget do not fit the model's context. No trajectory of it
 * can be played, so the service sends it to the dead-letter topic with {@link #getMessage()}.
 */
public final class TaskTooLongException extends RuntimeException {

    private final String taskId;

    public TaskTooLongException(String taskId, int promptTokens, int maxNewTokens,
            int maxPositions) {
        super("task " + taskId + ": first prompt of " + promptTokens + " tokens + "
                + maxNewTokens + " new tokens exceeds the model's " + maxPositions
                + " positions");
        this.taskId = taskId;
    }

    public String taskId() {
        return taskId;
    }
}
