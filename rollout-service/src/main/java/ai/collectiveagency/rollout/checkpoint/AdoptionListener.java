package ai.collectiveagency.rollout.checkpoint;

/**
 * Told by {@link CheckpointAdopter} which version it is about to read from the store and which
 * it serves once done, so that the trainer's retention does not delete either meanwhile
 * ({@link ReplicaLease}).
 */
interface AdoptionListener {

    /** Nobody listens. */
    AdoptionListener NONE = new AdoptionListener() {
        @Override
        public void loading(long version) {
        }

        @Override
        public void settled(long servedVersion) {
        }
    };

    /** {@code version}'s files are about to be verified and loaded. */
    void loading(long version);

    /** Loading ended (adopted or refused); {@code servedVersion} is served now. */
    void settled(long servedVersion);
}
