package ai.collectiveagency.demo.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which dead letters {@code ./pipeline dlq replay} sends back: those at the given offsets, or
 * all; and of those only the ones with the given key, when one is given.
 *
 * @param offsets the chosen offsets; empty for all
 * @param key only dead letters with this key (a task id); empty for any
 */
record ReplaySelection(Optional<List<Offset>> offsets, Optional<String> key) {

    /**
     * An offset of the dead-letter topic, {@code O} (on whichever partition has it: the
     * catalogue's dead-letter topics have one) or {@code P:O}.
     */
    record Offset(OptionalInt partition, long offset) {

        static Offset parse(String text) {
            String[] parts = text.strip().split(":", -1);
            try {
                if (parts.length == 1) {
                    return new Offset(OptionalInt.empty(), Long.parseLong(parts[0]));
                }
                if (parts.length == 2) {
                    return new Offset(OptionalInt.of(Integer.parseInt(parts[0])),
                            Long.parseLong(parts[1]));
                }
            } catch (NumberFormatException e) {
                // Falls through to the message below.
            }
            throw new IllegalArgumentException("not an offset: '" + text
                    + "' (OFFSET or PARTITION:OFFSET)");
        }

        boolean matches(DeadLetter letter) {
            return letter.offset() == offset
                    && (partition.isEmpty() || partition.getAsInt() == letter.partition());
        }

        @Override
        public String toString() {
            return partition.isPresent() ? partition.getAsInt() + ":" + offset
                    : Long.toString(offset);
        }
    }

    ReplaySelection {
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(key, "key");
        offsets = offsets.map(List::copyOf);
    }

    /**
     * The chosen dead letters among {@code letters}, in their order.
     *
     * @throws DlqException when an offset names no dead letter, or more than one
     */
    List<DeadLetter> choose(List<DeadLetter> letters, String dlqTopic) {
        List<DeadLetter> chosen = new ArrayList<>();
        if (offsets.isEmpty()) {
            chosen.addAll(letters);
        } else {
            List<String> missing = new ArrayList<>();
            for (Offset offset : offsets.get()) {
                List<DeadLetter> at = letters.stream().filter(offset::matches).toList();
                if (at.isEmpty()) {
                    missing.add(offset.toString());
                } else if (at.size() > 1) {
                    throw new DlqException("offset " + offset + " is on several partitions of "
                            + dlqTopic + ": say which, as PARTITION:OFFSET");
                } else if (!chosen.contains(at.get(0))) {
                    chosen.add(at.get(0));
                }
            }
            if (!missing.isEmpty()) {
                throw new DlqException("no dead letter at offset(s) " + String.join(", ", missing)
                        + " of " + dlqTopic + " (./pipeline dlq list " + dlqTopic
                        + " shows what there is); nothing sent");
            }
        }
        key.ifPresent(wanted -> chosen.removeIf(
                letter -> !letter.keyText().filter(wanted::equals).isPresent()));
        return chosen;
    }
}
