package ai.collectiveagency.rollout.checkpoint;

import java.util.List;

/**
 * Told by {@link CheckpointAdopter} which version it is about to read from the store and which
 * it serves once done, so that the trainer's retention does not delete either meanwhile
 * ({@link ReplicaLease}) and the replica's pod says what it serves ({@link PodAnnotations}).
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

    /** Tells each of {@code listeners}, in order. */
    static AdoptionListener all(AdoptionListener... listeners) {
        List<AdoptionListener> each = List.of(listeners);
        return new AdoptionListener() {
            @Override
            public void loading(long version) {
                each.forEach(listener -> listener.loading(version));
            }

            @Override
            public void settled(long servedVersion) {
                each.forEach(listener -> listener.settled(servedVersion));
            }
        };
    }

    /** {@code version}'s files are about to be verified and loaded. */
    void loading(long version);

    /** Loading ended (adopted or refused); {@code servedVersion} is served now. */
    void settled(long servedVersion);
}
