package ai.collectiveagency.policy.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;

import java.lang.reflect.Method;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders Jinja the way Hugging Face's {@code apply_chat_template} does with Python jinja2:
 * {@code trim_blocks} and {@code lstrip_blocks} on, {@code keep_trailing_newline} off, and a
 * {@code raise_exception(message)} function that aborts rendering.
 *
 * <p>A template is parsed once and its tree rendered again for every conversation: parsing
 * (and Jinjava's copy of its global context per render) took about nine tenths of a chat
 * prompt's rendering time, which self-play pays for every sequence of every turn. A render of
 * the tree that reports any error is done again the plain way, whose errors this class reads, so
 * failures read as they always did.
 */
final class JinjaRenderer {

    private static final Jinjava JINJAVA = newJinjava();
    /**
     * Parsed templates by source; empty when the source did not parse cleanly. A process renders
     * the templates of the few models it loaded; the bound only guards against a caller that
     * renders ever new ones.
     */
    private static final Map<String, Optional<Node>> TREES = new ConcurrentHashMap<>();
    private static final int MAX_TREES = 64;

    private JinjaRenderer() {}

    /**
     * Renders {@code source} with {@code variables}.
     *
     * @param origin where the template comes from, named in error messages
     * @throws ChatTemplateException when the template raises or cannot be parsed or evaluated
     */
    static String render(String source, Map<String, Object> variables, String origin) {
        String jinja = asJinja2Reads(source);
        if (TREES.size() >= MAX_TREES) {
            TREES.clear();
        }
        Optional<String> fast = TREES.computeIfAbsent(jinja, JinjaRenderer::parse)
                .flatMap(tree -> renderTree(tree, variables));
        if (fast.isPresent()) {
            return fast.get();
        }
        RenderResult result = JINJAVA.renderForResult(jinja, variables);
        for (TemplateError error : result.getErrors()) {
            String raised = raisedMessage(error.getException());
            if (raised != null) {
                throw new ChatTemplateException(
                        "chat template of " + origin + " raised an exception: " + raised);
            }
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template of " + origin + " failed at line "
                        + error.getLineno() + ": " + error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    /** The tree of {@code jinja}, or empty when parsing it reported anything. */
    private static Optional<Node> parse(String jinja) {
        JinjavaInterpreter interpreter = JINJAVA.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node tree = interpreter.parse(jinja);
            return interpreter.getErrorsCopy().isEmpty() ? Optional.of(tree) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * {@code tree} rendered in a context whose parent is Jinjava's global one (functions,
     * filters, tags are looked up there, not copied), or empty when rendering reported or threw
     * anything: the caller then renders the plain way and reads its errors.
     */
    private static Optional<String> renderTree(Node tree, Map<String, Object> variables) {
        JinjavaConfig config = JINJAVA.getGlobalConfig();
        Context context = new Context(JINJAVA.getGlobalContext(), variables,
                config.getDisabled());
        JinjavaInterpreter interpreter = config.getInterpreterFactory()
                .newInstance(JINJAVA, context, config);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output = interpreter.render(tree, true);
            return interpreter.getErrorsCopy().isEmpty() ? Optional.of(output) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * Bound to {@code strftime_now}, which Hugging Face gives templates (Llama 3.1+ put today's
     * date in the system prompt); Jinjava calls it reflectively.
     */
    static String strftimeNow(String format) {
        return PythonStrftime.format(format, LocalDateTime.now());
    }

    /** Bound to {@code raise_exception}; Jinjava calls it reflectively. */
    static String raiseException(String message) {
        throw new RaisedByTemplate(message);
    }

    // jinja2 reads "\r\n" and "\r" as "\n" and, without keep_trailing_newline, drops one final
    // newline of the source; Jinjava does neither, so the source is brought into that shape.
    private static String asJinja2Reads(String source) {
        String normalised = source.replace("\r\n", "\n").replace('\r', '\n');
        return normalised.endsWith("\n")
                ? normalised.substring(0, normalised.length() - 1)
                : normalised;
    }

    private static String raisedMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RaisedByTemplate) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // Message text is data: "{{" inside it must come out as written.
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(pythonLikeOverrides())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception",
                bound("raiseException")));
        jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now",
                bound("strftimeNow")));
        return jinjava;
    }

    // All of Jinjava's jinja2-compatibility fixes (e.g. "{{-" trimming whitespace before an
    // expression) except whitespaceRequiredWithinTokens: with it, Jinjava 2.7.4 leaves a
    // template made of "{%- ... %}" tags (Qwen2.5's) unparsed and prints its source.
    private static LegacyOverrides pythonLikeOverrides() {
        return LegacyOverrides.Builder.from(LegacyOverrides.ALL)
                .withWhitespaceRequiredWithinTokens(false)
                .build();
    }

    private static Method bound(String name) {
        try {
            Method method = JinjaRenderer.class.getDeclaredMethod(name, String.class);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown by the template's {@code raise_exception}; carries the template's message. */
    private static final class RaisedByTemplate extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RaisedByTemplate(String message) {
            super(message, null, false, false);
        }
    }
}
