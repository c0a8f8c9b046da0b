package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the positions seen so far, shaped (B, KV, S, hD).
 *
 * <p>The cache outlives the per-step {@link NDScope}s of generation: appended arrays are taken out
 * of the current scope and the arrays they replace are closed here.
 */
public final class KvCache implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Appends (B, KV, T, hD) keys and values; returns the whole (B, KV, S+T, hD) pair. */
    NDArray[] append(int layer, NDArray key, NDArray value) {
        keys[layer] = extend(keys[layer], key);
        values[layer] = extend(values[layer], value);
        return new NDArray[] {keys[layer], values[layer]};
    }

    private static NDArray extend(NDArray cached, NDArray fresh) {
        NDArray extended = cached == null ? fresh : NDArrays.concat(
                new ai.djl.ndarray.NDList(cached, fresh), 2);
        NDScope.unregister(extended);
        if (cached != null) {
            cached.close();
        }
        return extended;
    }

    /** Keeps only the batch rows in {@code rows} (finished sequences leave the batch). */
    public void select(NDArray rows) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i] = replace(keys[i], keys[i].get(rows));
                values[i] = replace(values[i], values[i].get(rows));
            }
        }
    }

    private static NDArray replace(NDArray old, NDArray replacement) {
        NDScope.unregister(replacement);
        old.close();
        return replacement;
    }

    /** Keys of {@code layer}, (B, KV, S, hD); owned by the cache (do not close). */
    public NDArray keys(int layer) {
        return keys[layer];
    }

    /** Values of {@code layer}, (B, KV, S, hD); owned by the cache (do not close). */
    public NDArray values(int layer) {
        return values[layer];
    }

    /** Positions cached so far. */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
        }
    }
}
