package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event type stays readable across its released versions, in both directions. The one
 * exception is named below: enum symbols added since a release, which a reader of that release
 * cannot know. Avro resolves such a pair, and the reader fails only on a record that holds a new
 * symbol ({@code RolloutGroupEvolutionTest}).
 */
class SchemaCompatibilityTest {

  /**
   * Enum symbols added after the first release, by enum name. A release's reader refuses a
   * record that uses one rather than reading it as something else: a v1 trainer must not take a
   * persona's private thoughts for its dialogue turn.
   */
  private static final Map<String, Set<String>> ADDED_SYMBOLS =
      Map.of("Segment", Set.of("THOUGHTS_A", "THOUGHTS_B"));

  static Stream<Schema> currentSchemas() {
    return Stream.of(
        PromptTask.getClassSchema(),
        RolloutGroup.getClassSchema(),
        ScoredGroup.getClassSchema(),
        PolicyCheckpoint.getClassSchema(),
        TrainingMetrics.getClassSchema(),
        EvalResult.getClassSchema(),
        FleetPin.getClassSchema());
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void currentSchemaReadsEveryReleasedVersion(Schema current) {
    for (Schema released : SchemaHistory.versions(current.getName())) {
      assertCompatible(current, released);
    }
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void everyReleasedVersionReadsTheCurrentSchema(Schema current) {
    for (Schema released : SchemaHistory.versions(current.getName())) {
      assertCompatibleButForAddedSymbols(released, current);
    }
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void newestReleasedVersionIsTheCurrentSchema(Schema current) {
    List<Schema> versions = SchemaHistory.versions(current.getName());

    assertThat(versions.get(versions.size() - 1))
        .as("add schema-history/%s/v%d.avsc when the schema changes",
            current.getName(), versions.size() + 1)
        .isEqualTo(current);
  }

  @Test
  void promptTaskHasEvolvedFromItsFirstVersion() {
    List<Schema> versions = SchemaHistory.versions("PromptTask");

    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).getField("language")).isNull();
    assertThat(versions.get(1).getField("language").defaultVal()).isEqualTo("en");
  }

  @Test
  void onlyTheNamedEnumSymbolsAreUnknownToTheFirstRolloutGroupReader() {
    Schema v1 = SchemaHistory.versions("RolloutGroup").get(0);

    List<Incompatibility> found = SchemaCompatibility
        .checkReaderWriterCompatibility(v1, RolloutGroup.getClassSchema())
        .getResult().getIncompatibilities();

    assertThat(found).singleElement().satisfies(i -> {
      assertThat(i.getType()).isEqualTo(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
      assertThat(i.getReaderFragment().getName()).isEqualTo("Segment");
      assertThat(i.getMessage()).isEqualTo("[THOUGHTS_A, THOUGHTS_B]");
    });
  }

  private static void assertCompatibleButForAddedSymbols(Schema reader, Schema writer) {
    List<Incompatibility> left = SchemaCompatibility
        .checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
        .stream().filter(i -> !isAddedSymbols(i)).toList();
    assertThat(left).as("reader %s reading writer %s", reader.getName(), writer.getName())
        .isEmpty();
  }

  private static boolean isAddedSymbols(Incompatibility incompatibility) {
    if (incompatibility.getType() != SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS) {
      return false;
    }
    Set<String> allowed = ADDED_SYMBOLS.getOrDefault(
        incompatibility.getReaderFragment().getName(), Set.of());
    String listed = incompatibility.getMessage().replaceAll("[\\[\\]]", "");
    return Arrays.stream(listed.split(",\\s*")).allMatch(allowed::contains);
  }

  private static void assertCompatible(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    assertThat(result.getType())
        .as("reader %s reading writer %s: %s", reader.getName(), writer.getName(),
            result.getResult().getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
