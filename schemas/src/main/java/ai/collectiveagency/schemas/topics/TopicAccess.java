package ai.collectiveagency.schemas.topics;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who writes a topic and who reads it, as the services' code does: idempotent producers, and
 * the transactional stages among the readers ({@link TopicReader#transactional()}), whose
 * producers also need their transactional ids.
 *
 * @param writers clients that produce to the topic
 * @param readers clients that consume it, each in its consumer group or assigned
 * @param lagReaders clients that read the committed offsets of the readers' groups on this
 *     topic (consumer lag: the prompt-generator's pacing, dashboards)
 */
public record TopicAccess(Set<PipelineClient> writers, List<TopicReader> readers,
        Set<PipelineClient> lagReaders) {

    public TopicAccess {
        writers = Set.copyOf(writers);
        readers = List.copyOf(readers);
        lagReaders = Set.copyOf(lagReaders);
        if (readers.stream().distinct().count() != readers.size()) {
            throw new IllegalArgumentException("a reader is listed twice: " + readers);
        }
    }

    /** Nobody writes or reads it (a dead-letter topic of a consumer that dead-letters nothing). */
    public static TopicAccess none() {
        return new TopicAccess(Set.of(), List.of(), Set.of());
    }

    /** The consumer groups its readers read in, sorted. */
    public Set<String> groups() {
        Set<String> groups = new TreeSet<>();
        readers.forEach(reader -> reader.group().ifPresent(groups::add));
        return groups;
    }
}
