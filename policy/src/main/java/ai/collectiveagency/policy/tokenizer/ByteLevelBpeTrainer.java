package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer (GPT-2 / Qwen2 style) on a corpus and writes it as a Hugging
 * Face {@code tokenizer.json}, which {@link TextTokenizer} and any HF library then load.
 *
 * <p>Hand-written because DJL's tokenizers binding loads tokenizers but cannot train them. The
 * algorithm is the classic one: split text with the GPT-2 pre-tokenizer pattern, map each word's
 * UTF-8 bytes to printable characters, then repeatedly merge the most frequent adjacent pair
 * (ties broken by the pair's text, so training is deterministic) until the vocabulary has the
 * requested size. The 256 byte symbols are always in the vocabulary, so any text encodes.
 */
public final class ByteLevelBpeTrainer {

    /** The pattern HF's ByteLevel pre-tokenizer splits words with ({@code use_regex: true}). */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final char[] BYTE_SYMBOLS = byteSymbols();

    private final Map<String, Long> wordCounts = new HashMap<>();

    /** Counts the words of {@code text}; special tokens must already be cut out of it. */
    public void add(String text) {
        Matcher matcher = WORDS.matcher(text);
        while (matcher.find()) {
            wordCounts.merge(symbols(matcher.group()), 1L, Long::sum);
        }
    }

    /** The trained vocabulary (byte symbols first, then one token per merge) and merges. */
    public record Bpe(Map<String, Integer> vocab, List<String[]> merges) {}

    /** Merges until the vocabulary has {@code vocabSize} tokens or no pair occurs twice. */
    public Bpe train(int vocabSize) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (char symbol : BYTE_SYMBOLS) {
            vocab.put(String.valueOf(symbol), vocab.size());
        }
        List<List<String>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        wordCounts.forEach((word, count) -> {
            List<String> split = new ArrayList<>();
            word.chars().forEach(c -> split.add(String.valueOf((char) c)));
            words.add(split);
            counts.add(count);
        });
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<String, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> word = words.get(w);
                for (int i = 0; i + 1 < word.size(); i++) {
                    pairs.merge(word.get(i) + " " + word.get(i + 1), counts.get(w), Long::sum);
                }
            }
            String best = null;
            long bestCount = 1;
            for (var pair : pairs.entrySet()) {
                long count = pair.getValue();
                if (count > bestCount || count == bestCount && best != null
                        && pair.getKey().compareTo(best) < 0) {
                    best = pair.getKey();
                    bestCount = count;
                }
            }
            if (best == null) {
                break;
            }
            String[] pair = best.split(" ", 2);
            String merged = pair[0] + pair[1];
            merges.add(pair);
            vocab.put(merged, vocab.size());
            for (List<String> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    if (word.get(i).equals(pair[0]) && word.get(i + 1).equals(pair[1])) {
                        word.set(i, merged);
                        word.remove(i + 1);
                    }
                }
            }
        }
        return new Bpe(vocab, merges);
    }

    /**
     * Writes {@code tokenizer.json}: the BPE model, the ByteLevel pre-tokenizer, post-processor
     * and decoder, and {@code specialTokens} as added tokens after the vocabulary.
     */
    public static void write(Bpe bpe, List<String> specialTokens, Path file) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        int id = bpe.vocab().size();
        for (String special : specialTokens) {
            added.addObject().put("id", id++).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, true));
        root.set("post_processor", byteLevel(json, false));
        root.set("decoder", byteLevel(json, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        bpe.vocab().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        bpe.merges().forEach(pair -> merges.addArray().add(pair[0]).add(pair[1]));
        try {
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean trimOffsets) {
        return json.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", trimOffsets).put("use_regex", true);
    }

    /** A word's UTF-8 bytes as GPT-2's printable byte symbols. */
    private static String symbols(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            out.append(BYTE_SYMBOLS[b & 0xff]);
        }
        return out.toString();
    }

    /**
     * GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the others
     * (controls, space, ...) are shifted to U+0100 and up, in byte order.
     */
    private static char[] byteSymbols() {
        char[] table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE;
            table[b] = printable ? (char) b : (char) (256 + shifted++);
        }
        return table;
    }
}
