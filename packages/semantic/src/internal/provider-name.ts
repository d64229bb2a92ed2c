// Provider names in the current OTel GenAI vocabulary (`gen_ai.provider.name` well-known values),
// so one provider is one filter value whichever convention version the span was written in.

/** Deprecated `gen_ai.system` values and common spellings → current well-known value. */
const ALIASES = new Map<string, string>([
  ['az.ai.openai', 'azure.ai.openai'],
  ['az.ai.inference', 'azure.ai.inference'],
  ['azure_openai', 'azure.ai.openai'],
  ['vertex_ai', 'gcp.vertex_ai'],
  ['vertexai', 'gcp.vertex_ai'],
  ['gemini', 'gcp.gemini'],
  ['xai', 'x_ai'],
  ['mistralai', 'mistral_ai'],
  ['mistral', 'mistral_ai'],
  ['bedrock', 'aws.bedrock'],
  ['aws_bedrock', 'aws.bedrock'],
  ['watsonx', 'ibm.watsonx.ai'],
  ['moonshot', 'moonshot_ai'],
]);

/**
 * Vercel AI SDK ≤6 writes its provider id (`openai.chat`, `anthropic.messages`,
 * `google.vertex.chat`) into `gen_ai.system`; the part before the API suffix names the provider.
 */
const VERCEL_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['openai.', 'openai'],
  ['anthropic.', 'anthropic'],
  ['google.vertex', 'gcp.vertex_ai'],
  ['google.generative-ai', 'gcp.gemini'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['azure-openai', 'azure.ai.openai'],
  ['mistral.', 'mistral_ai'],
  ['xai.', 'x_ai'],
  ['groq.', 'groq'],
  ['deepseek.', 'deepseek'],
  ['cohere.', 'cohere'],
  ['perplexity', 'perplexity'],
];

export function canonicalProviderName(name: string): string {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  const alias = ALIASES.get(lower);
  if (alias !== undefined) return alias;
  for (const [prefix, provider] of VERCEL_PREFIXES) if (lower.startsWith(prefix)) return provider;
  return lower;
}
