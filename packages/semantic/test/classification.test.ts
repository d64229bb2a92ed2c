// Span type, provider names, session and user ids, dialect list and service name.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { AttributeMap } from '@cairn/model';
import { NORMALIZER_VERSION, normalizeSpan } from '../src/index.js';
import { CONTEXT, wireSpan } from './helpers/wire-span.js';

function normalizeAttributes(attributes: AttributeMap) {
  return normalizeSpan(wireSpan({ attributes }), CONTEXT);
}

await test('span type', async (t) => {
  await t.test('follows gen_ai.operation.name', () => {
    const expected: Record<string, string> = {
      chat: 'llm',
      text_completion: 'llm',
      generate_content: 'llm',
      embeddings: 'embedding',
      execute_tool: 'tool',
      invoke_agent: 'agent',
      create_agent: 'agent',
      invoke_workflow: 'chain',
      retrieval: 'retrieval',
      search_memory: 'memory',
      some_custom_op: 'other',
      constructor: 'other',
      __proto__: 'other',
    };
    for (const [operation, spanType] of Object.entries(expected)) {
      const record = normalizeAttributes({ 'gen_ai.operation.name': operation });
      assert.equal(record.spanType, spanType, operation);
      assert.equal(record.operation, operation);
    }
  });

  await t.test('guesses tool from a tool name and llm from a model with a provider, but only without an operation', () => {
    assert.equal(normalizeAttributes({ 'gen_ai.tool.name': 'search' }).spanType, 'tool');
    assert.equal(normalizeAttributes({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.system': 'openai' }).spanType, 'llm');
    assert.equal(normalizeAttributes({ 'gen_ai.request.model': 'gpt-4o' }).spanType, 'other');
    assert.equal(
      normalizeAttributes({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.system': 'openai' })
        .spanType,
      'agent',
    );
  });

  await t.test('follows openinference.span.kind, below a declared gen_ai operation and above a guess', () => {
    const kinds: Record<string, string> = {
      LLM: 'llm',
      EMBEDDING: 'embedding',
      TOOL: 'tool',
      AGENT: 'agent',
      CHAIN: 'chain',
      RETRIEVER: 'retrieval',
      RERANKER: 'reranker',
      GUARDRAIL: 'guardrail',
      EVALUATOR: 'evaluator',
    };
    for (const [kind, spanType] of Object.entries(kinds)) {
      const record = normalizeAttributes({ 'openinference.span.kind': kind });
      assert.equal(record.spanType, spanType, kind);
      assert.deepEqual(record.dialects, ['openinference']);
    }
    const declared = normalizeAttributes({ 'openinference.span.kind': 'CHAIN', 'gen_ai.operation.name': 'chat' });
    assert.equal(declared.spanType, 'llm');
    assert.deepEqual(declared.dialects, ['gen_ai', 'openinference']);
    const overGuess = normalizeAttributes({ 'openinference.span.kind': 'AGENT', 'gen_ai.request.model': 'm', 'gen_ai.system': 'openai' });
    assert.equal(overGuess.spanType, 'agent');
    assert.equal(normalizeAttributes({ 'openinference.span.kind': 'PROMPT' }).spanType, 'chain');
    const unknownKind = normalizeAttributes({ 'openinference.span.kind': 'SOMETHING_NEW' });
    assert.equal(unknownKind.spanType, 'other');
    assert.deepEqual(unknownKind.dialects, ['openinference']);
  });

  await t.test('leaves a plain HTTP span as other with no dialect', () => {
    const record = normalizeSpan(
      wireSpan({
        name: 'GET /api/orders',
        attributes: { 'http.request.method': 'GET', 'url.path': '/api/orders', 'http.response.status_code': 200n },
        resource: { attributes: { 'telemetry.sdk.language': 'nodejs' }, droppedAttributesCount: 0, schemaUrl: '' },
      }),
      CONTEXT,
    );
    assert.equal(record.spanType, 'other');
    assert.deepEqual(record.dialects, []);
    assert.equal(record.serviceName, 'unknown_service');
    assert.equal(record.model, null);
    assert.equal(record.input, null);
    assert.equal(record.output, null);
    assert.equal(record.inputPreview, '');
    assert.equal(record.hasUsage, false);
  });
});

await test('provider', async (t) => {
  await t.test('maps deprecated gen_ai.system values and Vercel provider ids to the current names', () => {
    const expected: Record<string, string> = {
      'az.ai.openai': 'azure.ai.openai',
      'az.ai.inference': 'azure.ai.inference',
      vertex_ai: 'gcp.vertex_ai',
      gemini: 'gcp.gemini',
      xai: 'x_ai',
      mistralai: 'mistral_ai',
      OpenAI: 'openai',
      'openai.chat': 'openai',
      'anthropic.messages': 'anthropic',
      'google.vertex.chat': 'gcp.vertex_ai',
      'aws.bedrock': 'aws.bedrock',
      'ibm.watsonx.ai': 'ibm.watsonx.ai',
      'some.new.provider': 'some.new.provider',
    };
    for (const [system, provider] of Object.entries(expected)) {
      assert.equal(normalizeAttributes({ 'gen_ai.system': system }).provider, provider, system);
    }
  });

  await t.test('prefers gen_ai.provider.name over gen_ai.system', () => {
    assert.equal(normalizeAttributes({ 'gen_ai.provider.name': 'gcp.gemini', 'gen_ai.system': 'vertex_ai' }).provider, 'gcp.gemini');
  });
});

await test('session, user and service', async (t) => {
  await t.test('prefers gen_ai.conversation.id over session.id', () => {
    assert.equal(normalizeAttributes({ 'gen_ai.conversation.id': 'c-1', 'session.id': 's-1' }).sessionId, 'c-1');
    assert.equal(normalizeAttributes({ 'session.id': 's-1' }).sessionId, 's-1');
    assert.equal(normalizeAttributes({}).sessionId, null);
  });

  await t.test('reads user.id, then enduser.id, accepting numeric ids', () => {
    assert.equal(normalizeAttributes({ 'user.id': 'u-1', 'enduser.id': 'e-1' }).userId, 'u-1');
    assert.equal(normalizeAttributes({ 'enduser.id': 'e-1' }).userId, 'e-1');
    assert.equal(normalizeAttributes({ 'user.id': 42n }).userId, '42');
  });

  await t.test('exposes a normalizer version to store with each span', () => {
    assert.equal(NORMALIZER_VERSION, 5);
  });
});
