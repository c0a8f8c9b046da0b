package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One dead letter on its way back: to {@code origin}, with its key and bytes as they were, the
 * headers it kept from its origin, and {@link DeadLetters#REPLAYED_FROM} saying where it was.
 * Its partition is the key's, as it was the first time.
 *
 * @param letter the dead letter
 * @param origin the topic it goes back to
 */
record Replay(DeadLetter letter, String origin) {

    Replay {
        Objects.requireNonNull(letter, "letter");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * The replays of {@code chosen}: each to the topic its {@code dead-letter-topic} header names,
     * else to the data topic of {@code topics}.
     *
     * @param reader says whether a topic is on the cluster
     * @throws DlqException naming every dead letter whose origin is not on the cluster, before
     *     anything is sent
     */
    static List<Replay> plan(List<DeadLetter> chosen, DeadLetterTopic topics,
            DeadLetterReader reader) {
        List<Replay> replays = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, Boolean> onCluster = new HashMap<>();
        for (DeadLetter letter : chosen) {
            String origin = letter.originTopic().orElse(topics.dataTopic());
            if (origin.equals(letter.dlqTopic())) {
                refused.add(letter.address() + " names its own dead-letter topic as origin");
            } else if (!onCluster.computeIfAbsent(origin, reader::exists)) {
                refused.add(letter.address() + (letter.originTopic().isPresent()
                        ? " names origin topic " + origin + ", which is not on the cluster"
                        : " has no " + DeadLetters.TOPIC + " header, and its data topic "
                                + origin + " is not on the cluster"));
            } else {
                replays.add(new Replay(letter, origin));
            }
        }
        if (!refused.isEmpty()) {
            throw new DlqException("cannot resolve the origin of " + refused.size()
                    + " dead letter(s); nothing sent:\n  " + String.join("\n  ", refused));
        }
        return replays;
    }

    ProducerRecord<byte[], byte[]> record() {
        List<Header> headers = new ArrayList<>(letter.originalHeaders());
        headers.add(new RecordHeader(DeadLetters.REPLAYED_FROM,
                letter.address().getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(origin, null, letter.key(), letter.value(), headers);
    }

    /** What {@code replay} prints for it, before the partition and offset it was sent to. */
    String describe() {
        return letter.address() + " -> " + origin + " key "
                + letter.keyText().orElse(DeadLetter.NONE) + ", " + letter.size() + " bytes";
    }
}
