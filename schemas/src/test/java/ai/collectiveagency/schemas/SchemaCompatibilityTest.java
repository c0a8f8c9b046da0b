package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type stays readable across its released versions, in both directions. */
class SchemaCompatibilityTest {

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
      assertCompatible(released, current);
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

  private static void assertCompatible(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    assertThat(result.getType())
        .as("reader %s reading writer %s: %s", reader.getName(), writer.getName(),
            result.getResult().getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
