package ai.collectiveagency.policy.checkpoint;

/** A model or checkpoint folder that cannot be used; the message names the file and the tensor. */
public class ModelFolderException extends RuntimeException {

    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
