package ai.collectiveagency.prompts.seeds;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The lists the combinatorial source draws from. The shipped lists live in
 * {@code src/main/resources/seeds/}; a user folder holding files of the same names
 * ({@link #FILES}) extends or replaces them file by file ({@link SeedMerge}), and a list whose
 * file the folder lacks stays as shipped.
 *
 * <pre>{@code
 * SeedLists lists = SeedLists.load(Path.of("my-seeds"), SeedMerge.EXTEND);
 * }</pre>
 *
 * @param domains areas of life, e.g. {@code water rights} ({@code domains.txt})
 * @param conflicts pairs of opposed values ({@code value-conflicts.txt}: {@code left | right})
 * @param archetypes stakeholder types ({@code archetypes.txt}: {@code role | values | goals})
 * @param constraints lines a persona will not cross ({@code constraints.txt})
 * @param names persona names, at least two ({@code names.txt})
 * @param places where scenarios happen ({@code places.txt})
 * @param templates dilemmas with placeholders ({@code scenario-templates.txt})
 */
public record SeedLists(
        List<String> domains,
        List<ValueConflict> conflicts,
        List<Archetype> archetypes,
        List<String> constraints,
        List<String> names,
        List<String> places,
        List<ScenarioTemplate> templates) {

    /** The seed file names, in the order of the record's components. */
    public static final List<String> FILES = List.of("domains.txt", "value-conflicts.txt",
            "archetypes.txt", "constraints.txt", "names.txt", "places.txt",
            "scenario-templates.txt");

    public SeedLists {
        domains = nonEmpty(domains, 0, 1);
        conflicts = nonEmpty(conflicts, 1, 1);
        archetypes = nonEmpty(archetypes, 2, 2);
        constraints = nonEmpty(constraints, 3, 2);
        names = nonEmpty(names, 4, 2);
        places = nonEmpty(places, 5, 1);
        templates = nonEmpty(templates, 6, 1);
    }

    /** The lists shipped in the jar. */
    public static SeedLists shipped() {
        return new Loader(null, SeedMerge.EXTEND).lists();
    }

    /** The shipped lists, extended or replaced by the files present in {@code folder}. */
    public static SeedLists load(Path folder, SeedMerge merge) {
        if (!Files.isDirectory(folder)) {
            throw new SeedFileException(folder.toString(), "not a folder");
        }
        return new Loader(folder, merge).lists();
    }

    private static <T> List<T> nonEmpty(List<T> list, int file, int least) {
        if (list.size() < least) {
            throw new SeedFileException(FILES.get(file), "needs at least " + least
                    + " entr" + (least == 1 ? "y" : "ies") + ", has " + list.size());
        }
        return List.copyOf(list);
    }

    /** Reads each list from the jar and, where present, the user folder. */
    private record Loader(Path folder, SeedMerge merge) {

        SeedLists lists() {
            return new SeedLists(
                    list(FILES.get(0), 1, f -> f.get(0)),
                    list(FILES.get(1), 2, f -> new ValueConflict(f.get(0), f.get(1))),
                    list(FILES.get(2), 3, f -> new Archetype(f.get(0),
                            SeedFile.items(f.get(1)), SeedFile.items(f.get(2)))),
                    list(FILES.get(3), 1, f -> f.get(0)),
                    list(FILES.get(4), 1, f -> f.get(0)),
                    list(FILES.get(5), 1, f -> f.get(0)),
                    list(FILES.get(6), 1, f -> new ScenarioTemplate(f.get(0))));
        }

        private <T> List<T> list(String file, int fields, Function<List<String>, T> parser) {
            Path user = folder == null ? null : folder.resolve(file);
            boolean hasUser = user != null && Files.isRegularFile(user);
            List<T> out = new ArrayList<>();
            if (!hasUser || merge == SeedMerge.EXTEND) {
                out.addAll(shippedFile(file).entries(fields, parser));
            }
            if (hasUser) {
                out.addAll(userFile(user).entries(fields, parser));
            }
            return out;
        }

        private static SeedFile shippedFile(String file) {
            InputStream in = SeedLists.class.getResourceAsStream("/seeds/" + file);
            if (in == null) {
                throw new SeedFileException("seeds/" + file, "missing from the classpath");
            }
            return SeedFile.read("seeds/" + file,
                    new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        private static SeedFile userFile(Path path) {
            try {
                return SeedFile.read(path.toString(),
                        Files.newBufferedReader(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SeedFileException(path.toString(), "cannot read: " + e.getMessage(), e);
            }
        }
    }
}
