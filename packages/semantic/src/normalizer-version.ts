// Stored with every span so spans normalized by an older rule set can be found and re-normalized
// from their raw attributes. Bump it whenever a rule change alters the output for some input.
// 3: Mastra's agentic loop — llm-execution steps are the model calls, the loop's doStream is not.
// 4: OpenInference TOOL / AGENT spans without tool.name / agent.name take the span name (openinference-core's traceTool / traceAgent).
export const NORMALIZER_VERSION = 4;
