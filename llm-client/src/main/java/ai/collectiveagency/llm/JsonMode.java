package ai.collectiveagency.llm;

/**
 * How a request asks the endpoint for JSON. The answer is validated against the schema in every
 * mode; the modes differ only in what the server is told, because servers differ in what they
 * accept.
 */
public enum JsonMode {
    /** {@code response_format: {type: json_schema, ...}} (OpenAI, vLLM, llama.cpp, Ollama). */
    SCHEMA,
    /** {@code response_format: {type: json_object}}: JSON of any shape, the prompt gives it. */
    OBJECT,
    /** No {@code response_format}: the prompt alone asks for JSON. */
    PROMPT
}
