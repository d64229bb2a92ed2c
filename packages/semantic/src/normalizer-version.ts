// Stored with every span so spans normalized by an older rule set can be found and re-normalized
// from their raw attributes. Bump it whenever a rule change alters the output for some input.
// 3: Mastra's agentic loop — llm-execution steps are the model calls, the loop's doStream is not.
// 4: OpenInference TOOL / AGENT spans without tool.name / agent.name take the span name (openinference-core's traceTool / traceAgent).
// 5: OpenInference `metadata` JSON (LangChain run metadata: session_id, user_id, ls_provider, ls_model_name); the response model in output.value (LangChain, OpenAI Agents SDK).
//    Traceloop LangChain tool spans: tool name and call id from the ToolMessage in traceloop.entity.output.
export const NORMALIZER_VERSION = 5;
