import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, ibanValid, luhnValid } from '../src/index.js';
import { stripContent } from '../src/redaction/content-stripper.js';

const redactor = createRedactor();
const redact = (text: string, key = 'gen_ai.input.messages') => String(redactor(key, text).value);

// Each true positive must be replaced by its detector's placeholder; the surrounding text stays.
const TRUE_POSITIVES: [string, string][] = [
  ['email', 'write to jane.doe+ai@example.co.uk today'],
  ['email', 'CC: ops@sub.mail-server.io'],
  ['phone', 'call +1 415 555 2671 now'],
  ['phone', 'call (415) 555-2671'],
  ['phone', 'UK office +44 20 7946 0958.'],
  ['phone', 'mobile 415.555.2671'],
  ['credit_card', 'card 4111 1111 1111 1111 exp 12/29'],
  ['credit_card', 'card 5500-0000-0000-0004'],
  ['credit_card', 'amex 378282246310005'],
  ['iban', 'pay to DE89 3704 0044 0532 0130 00 please'],
  ['iban', 'IBAN GB82WEST12345698765432'],
  ['bearer_token', 'Authorization: Bearer abc123.def456-ghi789'],
  ['api_key', 'key sk-proj-AbCdEf0123456789GhIjKlMnOp'],
  ['api_key', 'anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345'],
  ['api_key', 'aws AKIAIOSFODNN7EXAMPLE'],
  ['api_key', 'gh ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'],
  ['api_key', 'google AIzaSyA-0123456789abcdefghijklmnopqrstu'],
  ['api_key', 'stripe sk_live_0123456789abcdefABCD'],
  ['jwt', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['private_key', 'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc==\n-----END RSA PRIVATE KEY----- end'],
  ['private_key', '"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"'],
];

// Look-alikes that must survive unchanged.
const FALSE_POSITIVES = [
  'order 4111 1111 1111 1112 failed', // fails Luhn
  'build 1234567890123 passed', // 13 digits, fails Luhn
  'released on 2024-01-15 at 10:30',
  'version 1.22.333 and 10.4.1',
  'server 192.168.100.200 is down',
  'ticket #123456',
  'IBAN-like DE89 3704 0044 0532 0130 01', // bad checksum
  'the task-management-service-for-agents is up', // contains "sk-" inside a word
  'see user@localhost for details', // no TLD
  'Bearer of bad news',
  'eyJ is a prefix but not a jwt',
  'uuid 123e4567-e89b-12d3-a456-426614174000',
  'room 1204, floor 3, 55 people',
  'total 1,234,567.89 USD',
];

describe('built-in detectors', () => {
  for (const [detector, text] of TRUE_POSITIVES) {
    it(`finds ${detector} in "${text.slice(0, 40)}"`, () => {
      const result = redact(text);
      assert.match(result, new RegExp(`\\[REDACTED:${detector}\\]`), result);
      assert.notEqual(result, text);
    });
  }
  for (const text of FALSE_POSITIVES) {
    it(`leaves "${text}" alone`, () => assert.equal(redact(text), text));
  }
  it('checks Luhn and IBAN checksums', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(ibanValid('GB82WEST12345698765432'), true);
    assert.equal(ibanValid('GB82WEST12345698765433'), false);
  });
});

describe('rules and attribute lists', () => {
  it('runs custom regex and function rules, honours allow and deny lists, and counts replacements', () => {
    const custom = createRedactor({
      detectors: ['email'],
      rules: [
        { name: 'ticket', pattern: /TICKET-\d+/ },
        { name: 'names', redact: (value) => value.replaceAll('Alice', '[NAME]') },
      ],
      allowAttributes: ['support.contact'],
      denyAttributes: ['http.request.header.*'],
    });
    assert.deepEqual(custom('note', 'Alice (alice@example.com) opened TICKET-42 and TICKET-43'), { value: '[NAME] ([REDACTED:email]) opened [REDACTED:ticket] and [REDACTED:ticket]', count: 4 });
    assert.deepEqual(custom('support.contact', 'help@example.com'), { value: 'help@example.com', count: 0 });
    assert.deepEqual(custom('http.request.header.cookie', 'a=b'), { value: '[REDACTED]', count: 1 });
    assert.deepEqual(custom('tags', ['x@example.com', 'plain']), { value: ['[REDACTED:email]', 'plain'], count: 1 });
    assert.deepEqual(custom('tokens', 42), { value: 42, count: 0 });
    // Only the chosen detectors run.
    assert.equal(custom('note', 'key sk-proj-AbCdEf0123456789GhIjKlMnOp').value, 'key sk-proj-AbCdEf0123456789GhIjKlMnOp');
  });
});

describe('captureContent: false', () => {
  it('keeps roles, part types, tool names and ids and sizes, drops every text', () => {
    const messages = JSON.stringify([
      { role: 'system', parts: [{ type: 'text', content: 'You are helpful.' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { location: 'Paris' } }], finish_reason: 'tool_calls' },
    ]);
    const stripped = JSON.parse(String(stripContent('gen_ai.input.messages', messages))) as unknown;
    assert.deepEqual(stripped, [
      { role: 'system', parts: [{ type: 'text', content: '[16 chars]' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '[20 chars]' }], finish_reason: 'tool_calls' },
    ]);
    assert.equal(stripContent('gen_ai.tool.call.arguments', 'secret plan'), '[11 chars]');
    assert.equal(stripContent('gen_ai.usage.input_tokens', 12), 12);
    assert.equal(stripContent('gen_ai.request.model', 'gpt-4o'), 'gpt-4o');
  });
});
