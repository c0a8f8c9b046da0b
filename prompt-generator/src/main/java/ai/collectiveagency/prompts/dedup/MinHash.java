package ai.collectiveagency.prompts.dedup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MinHash signatures over word shingles (Broder, "On the resemblance and containment of
 * documents", 1997): the share of equal positions in two signatures estimates the Jaccard
 * similarity of the two texts' shingle sets, with a standard error of
 * {@code sqrt(J(1-J)/numHashes)} (about 0.044 at 128 hashes).
 *
 * <p>Text is lower-cased and split into words of letters and digits; a shingle is {@code k}
 * consecutive words (the whole text when it has fewer). Each shingle is hashed once with 64-bit
 * FNV-1a, and hash function {@code i} is SplitMix64's finalizer over that hash XOR a fixed
 * per-function salt, so signatures are the same in every run and JVM.
 *
 * <p>Written here rather than taken from a library: the algorithm is a few dozen lines, and
 * owning it keeps the hashing fixed across upgrades (a stored signature stays comparable) and
 * adds no dependency to an offline build.
 */
public final class MinHash {

    private final int shingleWords;
    private final long[] salts;

    /**
     * @param shingleWords words per shingle, k >= 1
     * @param numHashes signature length, >= 1
     */
    public MinHash(int shingleWords, int numHashes) {
        if (shingleWords < 1 || numHashes < 1) {
            throw new IllegalArgumentException("shingle words and hash count must be >= 1");
        }
        this.shingleWords = shingleWords;
        this.salts = new long[numHashes];
        long state = 0x5eed5eedL;
        for (int i = 0; i < numHashes; i++) {
            state += 0x9e3779b97f4a7c15L;
            salts[i] = mix64(state);
        }
    }

    public int numHashes() {
        return salts.length;
    }

    /** The text's signature: for each hash function, the least hash over its shingles. */
    public long[] signature(String text) {
        long[] sig = new long[salts.length];
        Arrays.fill(sig, Long.MAX_VALUE);
        for (String shingle : shingles(text)) {
            long h = fnv1a(shingle);
            for (int i = 0; i < salts.length; i++) {
                sig[i] = Math.min(sig[i], mix64(h ^ salts[i]));
            }
        }
        return sig;
    }

    /** The text's shingles: {@code k} consecutive words joined by a space. */
    public Set<String> shingles(String text) {
        List<String> words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).toList();
        Set<String> out = new LinkedHashSet<>();
        if (words.size() <= shingleWords) {
            out.add(String.join(" ", words));
            return out;
        }
        for (int i = 0; i + shingleWords <= words.size(); i++) {
            out.add(String.join(" ", words.subList(i, i + shingleWords)));
        }
        return out;
    }

    /** The share of positions where two signatures of this length agree. */
    public static double estimatedJaccard(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("signatures differ in length");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
