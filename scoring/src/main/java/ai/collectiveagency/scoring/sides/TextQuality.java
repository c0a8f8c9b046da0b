package ai.collectiveagency.scoring.sides;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What makes a text a poor resolution whatever it is close to, measured on its words: how much of
 * it is copied from the task as the policy saw it, how much it repeats itself, and whether it is
 * prose at all (function words) or a list of keywords. Each gives a factor in [0, 1]; their
 * product, the gate, moves the reward from its earned value to the floor.
 *
 * @param copiedShare share of the text's word 4-grams found in the task's visible text (scenario
 *     title and description, each persona's name, role and values)
 * @param distinctShare distinct words over words
 * @param functionShare share of words that are English function words ("the", "and", "for"...)
 */
public record TextQuality(double copiedShare, double distinctShare, double functionShare) {

    private static final int COPY_GRAM = 4;
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "and", "or",
            "but", "nor", "so", "yet", "of", "to", "in", "on", "for", "with", "by", "at", "from",
            "as", "into", "over", "under", "after", "before", "until", "while", "than", "then",
            "is", "are", "was", "were", "be", "been", "will", "can", "may", "must", "should",
            "would", "shall", "do", "does", "we", "they", "it", "its", "this", "that", "these",
            "those", "their", "our", "us", "them", "each", "both", "all", "every", "who",
            "which", "if", "not", "no", "any", "some", "has", "have", "his", "her", "he",
            "she", "i", "you", "your", "my", "one", "other", "what", "when", "how");

    public static TextQuality of(String text, PromptTask task) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            return new TextQuality(0, 0, 0);
        }
        double distinct = new HashSet<>(words).size() / (double) words.size();
        double function = words.stream().filter(FUNCTION_WORDS::contains).count()
                / (double) words.size();
        return new TextQuality(copiedShare(words, task), distinct, function);
    }

    /**
     * The factor the reward keeps: 1 for original prose; 0 for a copy of the task (3/4 of its
     * 4-grams), text that repeats itself (at most 1/4 distinct words) or a keyword list (at most
     * 1 word in 8 a function word); linear in between.
     */
    public double gate() {
        return falling(copiedShare, 0.35, 0.75) * rising(distinctShare, 0.25, 0.45)
                * rising(functionShare, 0.12, 0.22);
    }

    private static double rising(double x, double zeroAt, double oneAt) {
        return Math.max(0, Math.min(1, (x - zeroAt) / (oneAt - zeroAt)));
    }

    private static double falling(double x, double oneAt, double zeroAt) {
        return 1 - rising(x, oneAt, zeroAt);
    }

    private static double copiedShare(List<String> words, PromptTask task) {
        if (words.size() < COPY_GRAM) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        for (String part : visibleText(task)) {
            seen.addAll(grams(words(part)));
        }
        List<String> grams = grams(words);
        return grams.stream().filter(seen::contains).count() / (double) grams.size();
    }

    /** The task as the policy's prompt shows it, part by part (a 4-gram never spans two). */
    private static List<String> visibleText(PromptTask task) {
        List<String> parts = new ArrayList<>();
        parts.add(task.getScenario().getTitle());
        parts.add(task.getScenario().getDescription());
        for (Persona persona : List.of(task.getPersonaA(), task.getPersonaB())) {
            parts.add("You are " + persona.getName() + ", " + persona.getRole()
                    + "; you value " + String.join(", ", persona.getValues()));
        }
        return parts;
    }

    private static List<String> grams(List<String> words) {
        List<String> grams = new ArrayList<>();
        for (int i = 0; i + COPY_GRAM <= words.size(); i++) {
            grams.add(String.join(" ", words.subList(i, i + COPY_GRAM)));
        }
        return grams;
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
