package ai.collectiveagency.demo.report;

/**
 * Escaping for the report: model and generator text goes into the page as text only, and
 * inlined scripts and JSON cannot end their {@code <script>} element early.
 */
final class Html {

    private Html() {
    }

    /** {@code text} safe as element content or a quoted attribute value. */
    static String text(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * JSON safe inside a {@code <script>} element: {@code <} only occurs inside JSON strings,
     * where {@code \u003c} means the same, and no {@code </script>} or {@code <!--} remains.
     */
    static String json(String json) {
        return json.replace("<", "\\u003c");
    }

    /** A script (or style sheet) safe to inline: a closing tag in it would end the element. */
    static String inline(String code, String element) {
        return code.replace("</" + element, "<\\/" + element);
    }
}
