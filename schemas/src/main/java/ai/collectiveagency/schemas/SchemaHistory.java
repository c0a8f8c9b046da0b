package ai.collectiveagency.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of an event type's schema, read from the classpath at
 * {@code schema-history/<RecordName>/v<N>.avsc}, N = 1, 2, ... without gaps.
 *
 * <p>Readers use the history to decode records written by older (or newer, already released)
 * writers without a schema registry: the single-object encoding names the writer schema by its
 * fingerprint, and {@link #store(String)} maps every known fingerprint to its schema.
 *
 * <pre>{@code
 * List<Schema> versions = SchemaHistory.versions("PromptTask"); // [v1, v2]
 * }</pre>
 */
public final class SchemaHistory {

  /** Classpath folder that holds one sub-folder per record name. */
  public static final String ROOT = "schema-history";

  private SchemaHistory() {}

  /**
   * The released versions of a record, oldest first.
   *
   * @param recordName simple name of the record, e.g. {@code PromptTask}
   * @return at least one schema
   * @throws IllegalStateException when the record has no history on the classpath
   */
  public static List<Schema> versions(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = ROOT + "/" + recordName + "/v" + v + ".avsc";
      try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          break;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalStateException("no schema history for " + recordName + " under " + ROOT);
    }
    return List.copyOf(versions);
  }

  /**
   * A schema store that knows every released version of a record by fingerprint.
   *
   * @param recordName simple name of the record, e.g. {@code PromptTask}
   * @return a store for {@code createDecoder(SchemaStore)} of the generated class
   */
  public static SchemaStore.Cache store(String recordName) {
    SchemaStore.Cache store = new SchemaStore.Cache();
    versions(recordName).forEach(store::addSchema);
    return store;
  }
}
