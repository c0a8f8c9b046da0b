package ai.collectiveagency.prompts.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Answers a task-writing model might give: valid ones that differ from each other, and bad ones. */
public final class TaskAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String[]> THEMES = List.of(
            new String[] {"Water rights", "A drought forces the valley council to cut river "
                    + "withdrawals; orchards upstream and a fishing town downstream both depend "
                    + "on the same summer flow.", "farming", "livelihood vs. ecology",
                    "Mara Okafor", "orchard owner", "Tomas Reyes", "fisheries warden"},
            new String[] {"Night shifts at the clinic", "A rural clinic can keep its emergency "
                    + "room open overnight only if nurses accept mandatory double shifts, which "
                    + "the nurses' union says endangers patients.", "healthcare",
                    "access vs. safety", "Dr. Lena Berg", "clinic director", "Sam Okoye",
                    "union steward"},
            new String[] {"The school's phone ban", "Parents petition to ban phones in a middle "
                    + "school while students argue the phones are how they coordinate care for "
                    + "younger siblings after class.", "education", "focus vs. autonomy",
                    "Priya Nair", "head teacher", "Jonah Wells", "student council president"},
            new String[] {"Data from the smart meters", "A city utility wants to sell anonymised "
                    + "smart-meter data to fund free insulation for poor households; privacy "
                    + "advocates say the data can be re-identified.", "technology",
                    "privacy vs. welfare", "Aiko Tanaka", "utility planner", "Ruth Mensah",
                    "privacy advocate"});

    private TaskAnswers() {
    }

    /** A valid answer; answers {@code i} and {@code j} differ when {@code i != j} modulo 4. */
    public static String valid(int i) {
        String[] t = THEMES.get(Math.floorMod(i, THEMES.size()));
        ObjectNode answer = JSON.createObjectNode()
                .put("title", t[0]).put("description", t[1]).put("domain", t[2])
                .put("value_conflict", t[3]);
        answer.set("persona_a", persona(t[4], t[5], t[3].split(" vs. ")[0]));
        answer.set("persona_b", persona(t[6], t[7], t[3].split(" vs. ")[1]));
        return answer.toString();
    }

    /** JSON of the right shape but a persona without goals. */
    public static String missingGoals() {
        ObjectNode answer = (ObjectNode) read(valid(0));
        ((ObjectNode) answer.get("persona_b")).remove("goals");
        return answer.toString();
    }

    /** Prose, not JSON. */
    public static String prose() {
        return "Here is a scenario: two neighbours argue about a fence. Hope this helps!";
    }

    private static ObjectNode persona(String name, String role, String value) {
        ObjectNode persona = JSON.createObjectNode().put("name", name).put("role", role);
        persona.putArray("values").add(value).add("honesty");
        persona.putArray("goals").add("a settlement both sides can defend in public");
        persona.putArray("constraints").add("will not break the law");
        return persona;
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
