package ai.collectiveagency.prompts.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedListsTest {

    @TempDir
    Path dir;

    @Test
    void shippedListsHoldEnoughVariety() {
        SeedLists lists = SeedLists.shipped();
        assertThat(lists.domains()).hasSizeGreaterThanOrEqualTo(25).doesNotHaveDuplicates();
        assertThat(lists.conflicts()).hasSizeGreaterThanOrEqualTo(20).doesNotHaveDuplicates();
        assertThat(lists.archetypes()).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        assertThat(lists.constraints()).hasSizeGreaterThanOrEqualTo(25).doesNotHaveDuplicates();
        assertThat(lists.templates()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(lists.names()).doesNotHaveDuplicates();
    }

    @Test
    void userFileExtendsTheShippedListByDefault() throws IOException {
        Files.writeString(dir.resolve("domains.txt"), "# mine\nasteroid mining\n");
        SeedLists lists = SeedLists.load(dir, SeedMerge.EXTEND);
        assertThat(lists.domains()).containsAll(SeedLists.shipped().domains())
                .endsWith("asteroid mining");
    }

    @Test
    void userFileReplacesTheShippedListInReplaceMode() throws IOException {
        Files.writeString(dir.resolve("value-conflicts.txt"), "mercy | justice\n");
        SeedLists lists = SeedLists.load(dir, SeedMerge.REPLACE);
        assertThat(lists.conflicts()).containsExactly(new ValueConflict("mercy", "justice"));
    }

    @Test
    void listsMissingFromTheUserFolderStayAsShipped() throws IOException {
        Files.writeString(dir.resolve("names.txt"), "Ada\nBo\n");
        SeedLists lists = SeedLists.load(dir, SeedMerge.REPLACE);
        assertThat(lists.names()).containsExactly("Ada", "Bo");
        assertThat(lists.domains()).isEqualTo(SeedLists.shipped().domains());
    }

    @Test
    void malformedSeedFileErrorNamesFileAndLine() throws IOException {
        Path file = dir.resolve("value-conflicts.txt");
        Files.writeString(file, "# pairs\nliberty | safety\nliberty alone\n");
        assertThatThrownBy(() -> SeedLists.load(dir, SeedMerge.EXTEND))
                .isInstanceOf(SeedFileException.class)
                .hasMessageStartingWith(file + ":3: ")
                .hasMessageContaining("liberty alone");
    }

    @Test
    void archetypeWithAnEmptyListItemIsRefusedWithItsLine() throws IOException {
        Path file = dir.resolve("archetypes.txt");
        Files.writeString(file, "baker | bread;; | sell bread\n");
        assertThatThrownBy(() -> SeedLists.load(dir, SeedMerge.EXTEND))
                .hasMessageStartingWith(file + ":1: ");
    }

    @Test
    void templateWithAnUnknownPlaceholderIsRefusedWithItsLine() throws IOException {
        Path file = dir.resolve("scenario-templates.txt");
        Files.writeString(file,
                "\n{roleA} and {roleB} disagree on {valueA} vs {valueB} in {city}\n");
        assertThatThrownBy(() -> SeedLists.load(dir, SeedMerge.EXTEND))
                .hasMessageStartingWith(file + ":2: ")
                .hasMessageContaining("{city}");
    }

    @Test
    void replacedListThatEndsUpEmptyIsRefusedNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("domains.txt"), "# nothing yet\n");
        assertThatThrownBy(() -> SeedLists.load(dir, SeedMerge.REPLACE))
                .hasMessageStartingWith("domains.txt: needs at least 1 entry");
    }

    @Test
    void missingFolderIsRefused() {
        assertThatThrownBy(() -> SeedLists.load(dir.resolve("nope"), SeedMerge.EXTEND))
                .isInstanceOf(SeedFileException.class)
                .hasMessageContaining("not a folder");
    }
}
