package ai.collectiveagency.scoring.onnx;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentence encoder's embeddings, remembered by text: a group's resolutions often repeat one
 * another, the same persona texts come back with every task of a role, and an encoder forward
 * pass is the reward's whole cost. Texts missing from the cache are embedded together, once each.
 */
public final class EmbeddingCache {

    private final SentenceEncoder encoder;
    private final int batchSize;
    private final Cache<String, float[]> embeddings;

    public EmbeddingCache(SentenceEncoder encoder, int batchSize, long maximumSize) {
        if (batchSize < 1 || maximumSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 1 and cache size >= 0, "
                    + "were " + batchSize + " and " + maximumSize);
        }
        this.encoder = encoder;
        this.batchSize = batchSize;
        this.embeddings = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** One unit-length embedding per text, in order. */
    public float[][] embed(List<String> texts) {
        Map<String, float[]> known = embeddings.getAllPresent(texts);
        Set<String> missing = new LinkedHashSet<>(texts);
        missing.removeAll(known.keySet());
        List<String> toEmbed = new ArrayList<>(missing);
        float[][] fresh = encoder.embed(toEmbed, batchSize);
        Map<String, float[]> all = new HashMap<>(known);
        for (int i = 0; i < fresh.length; i++) {
            embeddings.put(toEmbed.get(i), fresh[i]);
            all.put(toEmbed.get(i), fresh[i]);
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(texts.get(i));
        }
        return out;
    }
}
