package ai.collectiveagency.policy.checkpoint;

/**
 * A path that leaves where it must stay: a file of a checkpoint whose real path (symlinks
 * followed) is outside the folder tree it was confined to, or a shard index that names something
 * other than a plain file name of its own folder. The message names the path and the bound.
 */
public class ConfinementException extends ModelFolderException {

    public ConfinementException(String message) {
        super(message);
    }
}
