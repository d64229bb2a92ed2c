// Each dialect's attributes → canonical fields, with hand-built spans for the forms the recorded
// fixtures do not cover (OpenInference retrieval, Traceloop flattened messages, Cairn conventions,
// Mastra's exporter span types, bad values).

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { AttributeMap } from '@cairn/model';
import { explainSpan, normalizeSpan } from '../src/index.js';
import { CONTEXT, spanEvent, wireSpan } from './helpers/wire-span.js';

const normalize = (attributes: AttributeMap, name = 'span') => normalizeSpan(wireSpan({ name, attributes }), CONTEXT);

await test('OpenInference', async (t) => {
  await t.test('flattened messages with tool calls, tokens incl. cache and reasoning, provider aliases', () => {
    const record = normalize({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'claude-3-5',
      'llm.provider': 'aws',
      'llm.invocation_parameters': '{"model":"claude-3-5-request","temperature":0}',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.contents.0.message_content.type': 'text',
      'llm.input_messages.1.message.contents.0.message_content.text': 'Weather?',
      'llm.input_messages.2.message.role': 'tool',
      'llm.input_messages.2.message.tool_call_id': 'c1',
      'llm.input_messages.2.message.content': '{"t":18}',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'c2',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Oslo"}',
      'llm.token_count.prompt': 100n,
      'llm.token_count.completion': 20n,
      'llm.token_count.prompt_details.cache_read': 40n,
      'llm.token_count.prompt_details.cache_write': 10n,
      'llm.token_count.completion_details.reasoning': 5n,
      'session.id': 's1',
      'tag.tags': ['a', 'b'],
      'llm.prompt_template.version': 'v3',
    });
    assert.equal(record.spanType, 'llm');
    assert.equal(record.model, 'claude-3-5');
    assert.equal(record.requestModel, 'claude-3-5-request');
    assert.equal(record.provider, 'aws.bedrock');
    assert.deepEqual(record.usage, { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 10, reasoningTokens: 5 });
    assert.deepEqual(record.input, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'c1', result: { t: 18 } }] },
    ]);
    assert.deepEqual(record.output, [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c2', name: 'get_weather', arguments: { city: 'Oslo' } }] }]);
    assert.equal(record.sessionId, 's1');
    assert.deepEqual(record.tags, ['a', 'b']);
    assert.equal(record.promptVersion, 'v3');
  });

  await t.test('retriever documents, tool spans and input.value', () => {
    const retriever = normalize({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': 'capital of France',
      'retrieval.documents.0.document.id': 'd1',
      'retrieval.documents.0.document.score': 0.9,
      'retrieval.documents.0.document.content': 'Paris   is\nthe capital.',
      'retrieval.documents.1.document.id': 'd2',
    });
    assert.equal(retriever.spanType, 'retrieval');
    assert.equal(retriever.input, 'capital of France');
    assert.deepEqual(retriever.retrievalDocuments, [
      { id: 'd1', score: 0.9, contentPreview: 'Paris is the capital.' },
      { id: 'd2', score: null, contentPreview: null },
    ]);
    const tool = normalize({ 'openinference.span.kind': 'TOOL', 'tool.name': 'search', 'input.value': '{"q":"x"}', 'input.mime_type': 'application/json', 'llm.token_count.prompt': 5n });
    assert.deepEqual([tool.spanType, tool.toolName, tool.input, tool.hasUsage], ['tool', 'search', { q: 'x' }, false]);
  });

  await t.test("openinference-core's traceTool / traceAgent: no tool.name / agent.name, the span name names them", () => {
    const tool = normalize({ 'openinference.span.kind': 'TOOL', 'output.value': '{"t":18}' }, 'get_weather');
    const agent = normalize({ 'openinference.span.kind': 'AGENT' }, 'weather_agent');
    const chain = normalize({ 'openinference.span.kind': 'CHAIN' }, 'RunnableSequence');
    assert.deepEqual([tool.spanType, tool.toolName, tool.agentName], ['tool', 'get_weather', null]);
    assert.deepEqual([agent.spanType, agent.agentName, agent.toolName], ['agent', 'weather_agent', null]);
    assert.deepEqual([chain.agentName, chain.toolName], [null, null]);
    // An explicit attribute still wins over the span name.
    assert.equal(normalize({ 'openinference.span.kind': 'TOOL', 'tool.name': 'search' }, 'tool-span').toolName, 'search');
  });

  await t.test("LangChain (openinference-instrumentation-langchain): user, provider and response model from the run's JSON", () => {
    const output = { generations: [[{ text: 'Hi', message: { lc: 1, type: 'constructor', kwargs: { content: 'Hi', response_metadata: { model_provider: 'openai', model_name: 'gpt-4o-mini-2024-07-18' } } } }]] };
    const attributes: AttributeMap = {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.invocation_parameters': '{"model":"gpt-4o-mini","stream":false}',
      'output.value': JSON.stringify(output),
      'output.mime_type': 'application/json',
      metadata: '{"session_id":"s-1","user_id":"u-42","ls_provider":"openai","ls_model_name":"gpt-4o-mini"}',
      'session.id': 's-1',
    };
    const llm = normalize(attributes, 'ChatOpenAI');
    assert.deepEqual([llm.model, llm.requestModel, llm.provider, llm.sessionId, llm.userId], ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini', 'openai', 's-1', 'u-42']);
    const explained = explainSpan(wireSpan({ name: 'ChatOpenAI', attributes }));
    const sources = (field: string) => explained.fields.find((entry) => entry.field === field)?.sources;
    assert.deepEqual([sources('userId'), sources('provider'), sources('sessionId')], [['metadata.user_id'], ['metadata.ls_provider'], ['session.id']]);
    // A failed call has no output: the model it asked for; explicit attributes win over the metadata.
    const failed = normalize({ ...attributes, 'output.value': '{}', 'user.id': 'explicit', 'llm.provider': 'azure' }, 'ChatOpenAI');
    assert.deepEqual([failed.model, failed.userId, failed.provider], ['gpt-4o-mini', 'explicit', 'azure.ai.openai']);
    // A chain's metadata names the session and user too; broken metadata stays raw and is flagged.
    const chain = normalize({ 'openinference.span.kind': 'CHAIN', metadata: '{"thread_id":"t-9","userId":"u-1"}' }, 'weather_agent');
    assert.deepEqual([chain.spanType, chain.sessionId, chain.userId, chain.model], ['chain', 't-9', 'u-1', null]);
    const broken = explainSpan(wireSpan({ name: 'x', attributes: { 'openinference.span.kind': 'CHAIN', metadata: '{"user_id":' } }));
    assert.ok(broken.problems.some((problem) => problem.source === 'metadata'), JSON.stringify(broken.problems));
  });

  await t.test('OpenAI Agents SDK (openinference-instrumentation-openai-agents): the response model from the raw completions in output.value', () => {
    const completions = [{ id: 'c-1', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [] }];
    const llm = normalize({ 'openinference.span.kind': 'LLM', 'llm.system': 'openai', 'llm.model_name': 'gpt-4o-mini', 'output.value': JSON.stringify(completions), 'output.mime_type': 'application/json' }, 'generation');
    assert.deepEqual([llm.model, llm.provider], ['gpt-4o-mini-2024-07-18', 'openai']);
    // Not a model call, or an output that names no completion: llm.model_name stays.
    const text = normalize({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'output.value': '{"model":"not-a-completion"}' }, 'generation');
    assert.equal(text.model, 'gpt-4o-mini');
    const explicit = normalize({ 'openinference.span.kind': 'LLM', 'llm.response.model_name': 'r-1', 'llm.model_name': 'gpt-4o-mini', 'output.value': JSON.stringify(completions) }, 'generation');
    assert.equal(explicit.model, 'r-1');
  });
});

await test('Vercel AI SDK ai.* spans: only the do* steps are model calls', () => {
  const shared = { 'ai.model.id': 'gpt-4o', 'ai.model.provider': 'openai.chat', 'ai.usage.promptTokens': 30n, 'ai.usage.completionTokens': 7n, 'ai.telemetry.functionId': 'fn', 'ai.telemetry.metadata.sessionId': 's' };
  const outer = normalize({ ...shared, 'ai.operationId': 'ai.streamText' }, 'ai.streamText');
  const step = normalize({ ...shared, 'ai.operationId': 'ai.streamText.doStream', 'ai.response.msToFirstChunk': 123.5, 'ai.response.finishReason': 'stop', 'ai.usage.cachedInputTokens': 10n }, 'ai.streamText.doStream');
  assert.deepEqual([outer.spanType, outer.hasUsage, outer.agentName, outer.sessionId], ['agent', false, 'fn', 's']);
  assert.deepEqual([step.spanType, step.provider, step.usage.inputTokens, step.usage.outputTokens, step.usage.cacheReadTokens], ['llm', 'openai', 30, 7, 10]);
  assert.equal(step.timeToFirstTokenMs, 123.5);
  assert.deepEqual(step.finishReasons, ['stop']);
  const tool = normalize({ 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'w', 'ai.toolCall.id': 'c', 'ai.toolCall.args': '{"a":1}', 'ai.toolCall.result': '42' }, 'ai.toolCall');
  assert.deepEqual([tool.spanType, tool.toolName, tool.toolCallId, tool.input, tool.output], ['tool', 'w', 'c', { a: 1 }, '42']);
  const prompt = normalize({ 'ai.operationId': 'ai.generateText', 'ai.prompt': '{"system":"S","prompt":"P"}' }, 'ai.generateText');
  assert.deepEqual(prompt.input, [{ role: 'system', parts: [{ type: 'text', text: 'S' }] }, { role: 'user', parts: [{ type: 'text', text: 'P' }] }]);
  assert.equal(normalize({ 'ai.operationId': 'ai.embedMany.doEmbed', 'ai.usage.tokens': 9n }, 'x').usage.inputTokens, 9);
});

await test('Traceloop flattened prompts and completions, kinds and association properties', () => {
  const record = normalize({
    'llm.request.type': 'chat',
    'gen_ai.system': 'OpenAI',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.prompt.0.role': 'user',
    'gen_ai.prompt.0.content': 'hi',
    'gen_ai.completion.0.role': 'assistant',
    'gen_ai.completion.0.finish_reason': 'tool_calls',
    'gen_ai.completion.0.tool_calls.0.id': 'c1',
    'gen_ai.completion.0.tool_calls.0.name': 'w',
    'gen_ai.completion.0.tool_calls.0.arguments': '{"x":1}',
    'gen_ai.usage.prompt_tokens': 3n,
    'gen_ai.usage.completion_tokens': 4n,
    'gen_ai.usage.cache_read_input_tokens': 1n,
    'llm.usage.total_tokens': 7n,
    'traceloop.association.properties.session_id': 'sess',
  });
  assert.deepEqual([record.spanType, record.provider, record.sessionId, record.usage.cacheReadTokens], ['llm', 'openai', 'sess', 1]);
  assert.deepEqual(record.input, [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
  assert.deepEqual(record.output, [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'w', arguments: { x: 1 } }] }]);
  assert.deepEqual(record.finishReasons, ['tool_calls']);
  assert.equal(normalize({ 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'wf' }).spanType, 'chain');
  const tool = normalize({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'search', 'traceloop.entity.input': '{"args":[1]}' });
  assert.deepEqual([tool.spanType, tool.toolName, tool.input], ['tool', 'search', { args: [1] }]);
});

await test("Traceloop's LangChain tool spans: the tool's name and call id from the ToolMessage, not the class name", () => {
  const toolMessage = { lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'ToolMessage'], kwargs: { status: 'success', content: '{"t":18}', tool_call_id: 'call_1', name: 'get_weather' } };
  const attributes: AttributeMap = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.provider.name': 'langchain',
    'traceloop.span.kind': 'task',
    'traceloop.entity.name': 'DynamicStructuredTool',
    'traceloop.entity.input': '{"args":["{\\"location\\":\\"Paris\\"}"]}',
    'traceloop.entity.output': JSON.stringify(toolMessage),
  };
  const tool = normalize(attributes, 'execute_tool DynamicStructuredTool');
  assert.deepEqual([tool.spanType, tool.toolName, tool.toolCallId], ['tool', 'get_weather', 'call_1']);
  const explained = explainSpan(wireSpan({ name: 'execute_tool DynamicStructuredTool', attributes }));
  assert.match(explained.fields.find((entry) => entry.field === 'toolName')?.sources[0] ?? '', /ToolMessage/);
  // Output that is no ToolMessage (or not JSON): no name invented.
  assert.equal(normalize({ ...attributes, 'traceloop.entity.output': '{"ToolMessage": 1' }, 'x').toolName, null);
  assert.equal(normalize({ ...attributes, 'traceloop.entity.output': '"plain ToolMessage text"' }, 'x').toolName, null);
});

await test('Langfuse observation attributes', () => {
  const start = 1_763_700_000_000_000_000n;
  const record = normalizeSpan(
    wireSpan({
      startTimeUnixNano: start,
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o',
        'langfuse.observation.usage_details': '{"input":10,"output":5,"cache_read_input_tokens":2}',
        'langfuse.observation.cost_details': '{"input":0.001,"output":0.002}',
        'langfuse.observation.prompt.name': 'plan',
        'langfuse.observation.prompt.version': 3n,
        'langfuse.observation.completion_start_time': `"${new Date(Number(start / 1_000_000n) + 250).toISOString()}"`,
        'langfuse.observation.level': 'ERROR',
        'langfuse.observation.status_message': 'boom',
        'langfuse.trace.tags': ['x'],
        'langfuse.session.id': 'ls',
        'session.id': 'other',
      },
    }),
    CONTEXT,
  );
  assert.deepEqual([record.spanType, record.model, record.usage.inputTokens, record.usage.outputTokens, record.usage.cacheReadTokens], ['llm', 'gpt-4o', 10, 5, 2]);
  assert.ok(Math.abs((record.costUsd ?? 0) - 0.003) < 1e-12);
  assert.deepEqual([record.promptName, record.promptVersion, record.timeToFirstTokenMs], ['plan', '3', 250]);
  assert.deepEqual(record.status, { code: 'error', message: 'boom' });
  assert.deepEqual(record.rawStatus, { code: 'unset', message: '' });
  assert.deepEqual([record.sessionId, record.tags], ['ls', ['x']]);
});

await test('Mastra exporter span types decide steps vs the generation', () => {
  const generation = normalize({ 'mastra.span.type': 'model_generation', 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 5n, 'gen_ai.agent.id': 'a1' });
  const step = normalize({ 'mastra.span.type': 'model_step', 'gen_ai.operation.name': 'model_step', 'gen_ai.usage.input_tokens': 5n });
  assert.deepEqual([generation.spanType, generation.usage.inputTokens, generation.agentId], ['llm', 5, 'a1']);
  assert.deepEqual([step.spanType, step.hasUsage], ['chain', false]);
  assert.deepEqual(normalize({ 'mastra.span.type': 'agent_run', 'mastra.agent_run.input': '{"q":"hi"}' }).input, { q: 'hi' });
});

await test('Cairn conventions', () => {
  const voice = normalize({ 'cairn.span.type': 'voice', 'cairn.voice.model': 'whisper', 'cairn.voice.provider': 'openai' }, 'voice.transcribe');
  assert.deepEqual([voice.spanType, voice.model, voice.provider], ['voice', 'whisper', 'openai']);
  const llm = normalize({ 'ai.model_provider': 'Anthropic', 'ai.model_name': 'claude-3-5', 'ai.prompt_version': 'v12' }, 'llm.generate');
  assert.deepEqual([llm.spanType, llm.provider, llm.model, llm.promptVersion], ['llm', 'anthropic', 'claude-3-5', 'v12']);
  const tool = normalize({ error_code: 'E_TIMEOUT' }, 'tool.invoke:file_search');
  assert.deepEqual([tool.spanType, tool.toolName, tool.errorType], ['tool', 'file_search', 'E_TIMEOUT']);
  assert.equal(normalize({ 'rag.top_k': 10n }, 'rag.retrieve').spanType, 'retrieval');
  assert.equal(normalize({ 'eval.type': 'judge' }, 'eval.run').spanType, 'evaluator');
  assert.equal(normalize({ 'ai.model_name': 'anthropic/claude-3-5' }).provider, 'anthropic');
  // A declared gen_ai operation beats Cairn's attribute-family guess.
  assert.equal(normalize({ 'gen_ai.operation.name': 'chat', 'rag.index_name': 'i' }).spanType, 'llm');
});

await test('gen_ai additions: finish reasons, time to first chunk (s → ms), agent id, prompt name, error type', () => {
  const record = normalizeSpan(
    wireSpan({
      status: { code: 'error', message: 'x' },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.response.time_to_first_chunk': 0.25,
        'gen_ai.agent.id': 'ag',
        'gen_ai.prompt.name': 'plan',
        'gen_ai.retrieval.documents': '[{"id":"a","score":1}]',
      },
      events: [spanEvent('exception', { 'exception.type': 'RateLimitError' })],
    }),
    CONTEXT,
  );
  assert.deepEqual([record.finishReasons, record.timeToFirstTokenMs, record.agentId, record.promptName, record.errorType], [['stop'], 250, 'ag', 'plan', 'RateLimitError']);
  assert.deepEqual(record.retrievalDocuments, [{ id: 'a', score: 1, contentPreview: null }]);
  assert.equal(normalize({ 'error.type': 'timeout' }).errorType, 'timeout');
});
