// The analytics pages in a real browser against a real `cairn serve` seeded with the demo
// workload plus two runs of one workflow that differ in one tool call: the dashboard (charts,
// per-group table, CSV export, finding counts linking to the filtered list), the quality
// report, and trace list → select two → Compare → diff. No console errors.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { runCli, startCairn, type CairnProcess } from '../support/cairn-process.js';
import { chromiumMissingReason, collectPageErrors, isCi, launchChromium } from './support/chromium.js';

const missing = chromiumMissingReason();
if (missing !== null && isCi()) {
  void test('Chromium is installed (required under CI)', () => assert.fail(missing));
}

const LOAD_TIMEOUT_MILLIS = 30_000;
/** The server analyzes a trace 10 s after its last span (plus a 2 s poll). */
const ANALYSIS_WAIT_MILLIS = 45_000;

/** Two runs of one refund workflow; run b looks the order up with another id. */
async function postTwoRuns(otlpHttpUrl: string): Promise<[string, string]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'diff-bot' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('cairn-e2e-analytics');
  const ids: string[] = [];
  const base = Date.now() - 120_000;
  for (const [index, orderId] of ['48213', '48214'].entries()) {
    const start = base + index * 10_000;
    const root = tracer.startSpan('invoke_agent refunds', { startTime: start, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'refunds' } }, ROOT_CONTEXT);
    const inRoot = trace.setSpan(ROOT_CONTEXT, root);
    const chat = (at: number) =>
      tracer
        .startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT, startTime: at, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 20 } }, inRoot)
        .end(at + 400);
    chat(start + 10);
    const tool = (name: string, args: string, at: number) =>
      tracer.startSpan(`execute_tool ${name}`, { startTime: at, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.arguments': args } }, inRoot).end(at + 100);
    tool('lookup_order', `{"orderId":"${orderId}"}`, start + 420);
    tool('issue_refund', '{"amount":25}', start + 530);
    chat(start + 640);
    root.end(start + 1_100);
    ids.push(root.spanContext().traceId);
  }
  const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
  const response = await fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) });
  assert.equal(response.status, 200);
  return [ids[0]!, ids[1]!];
}

void describe('web UI: dashboard, quality report, trace diff', { skip: missing ?? false }, () => {
  let cairn: CairnProcess;
  let browser: Browser;
  let runs: [string, string];
  let toolLoops = 0;

  before(async () => {
    cairn = await startCairn();
    const demo = await runCli(['demo', '--endpoint', cairn.otlpHttpUrl, '--traces', '5']);
    assert.equal(demo.code, 0, demo.stderr);
    runs = await postTwoRuns(cairn.otlpHttpUrl);
    // The background analyzer flags the demo's looping coder run once it has been quiet.
    const deadline = Date.now() + ANALYSIS_WAIT_MILLIS;
    while (Date.now() < deadline && toolLoops === 0) {
      const counts = (await (await fetch(`${cairn.apiUrl}/api/v1/findings`)).json()) as { counts: { kind: string; traces: number }[] };
      toolLoops = counts.counts.find((entry) => entry.kind === 'tool_loop')!.traces;
      if (toolLoops === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(toolLoops > 0, 'the analyzer flagged the looping demo run');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  async function withPage(body: (page: Page) => Promise<void>): Promise<void> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.setDefaultTimeout(LOAD_TIMEOUT_MILLIS);
    const errors = collectPageErrors(page);
    try {
      await body(page);
      assert.deepEqual(errors, [], 'the page logged errors');
    } finally {
      await page.close();
    }
  }

  async function download(page: Page, click: () => Promise<void>): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    return fs.readFile((await file.path())!, 'utf8');
  }

  void test('the dashboard charts every measure by group, exports its table, and links finding counts to the list', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/dashboard`);
      for (const title of ['Tokens', 'Cost (USD)', 'Calls', 'Error rate', 'Latency p50 (ms)', 'Latency p95 (ms)', 'Latency p99 (ms)']) {
        await page.getByRole('img', { name: new RegExp(`^${title.replace(/[()]/g, '\\$&')}: .*gpt-4o-mini: peak`) }).waitFor();
      }
      const table = page.getByRole('table', { name: 'Metrics by model' });
      await table.getByRole('cell', { name: 'gpt-4o-mini', exact: true }).waitFor();
      const csv = await download(page, () => page.getByRole('region', { name: 'Totals per group' }).getByRole('button', { name: 'Export CSV' }).click());
      const lines = csv.trim().split('\r\n');
      assert.equal(lines[0], 'key,calls,errors,error_rate,input_tokens,output_tokens,cost_usd,p50_ms,p95_ms,p99_ms');
      assert.equal(lines.length - 1, await table.locator('tbody tr').count());
      // The CSV's token total is the API's: the sum over single model calls.
      const api = (await (await fetch(`${cairn.apiUrl}/api/v1/metrics?groupBy=model`)).json()) as { rows: { inputTokens: number }[] };
      const csvTokens = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[4]), 0);
      assert.equal(csvTokens, api.rows.reduce((sum, row) => sum + row.inputTokens, 0));

      await page.getByLabel('Group by').selectOption('agent');
      await page.waitForURL(/groupBy=agent/);
      await page.getByRole('table', { name: 'Metrics by agent' }).getByRole('cell', { name: 'coder', exact: true }).waitFor();

      const loops = page.getByRole('region', { name: 'Findings' }).getByRole('link', { name: /Tool loops/ });
      assert.match(await loops.innerText(), new RegExp(`^${toolLoops}\\s`));
      await loops.click();
      await page.waitForURL(/\/traces\?.*finding=tool_loop/);
      const list = page.getByRole('table', { name: 'Traces' });
      await list.locator('tbody tr').first().waitFor();
      assert.equal(await list.locator('tbody tr').count(), toolLoops);
      assert.equal(await page.getByLabel('Finding').inputValue(), 'tool_loop');
    });
  });

  void test('the quality report lists issues per service with an example trace and what to change', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/quality`);
      const service = page.getByRole('region', { name: 'Service diff-bot' });
      await service.getByText('4 of 4 model calls carry no prompt version').waitFor();
      await service.getByText(/gen_ai\.prompt\.version/).waitFor();
      await service.getByRole('link', { name: /example trace/ }).first().click();
      await page.waitForURL(/\/traces\/[0-9a-f]{32}$/);
    });
  });

  void test('select two traces in the list, Compare: the diff shows the one changed tool call and the deltas', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces?service=diff-bot`);
      const list = page.getByRole('table', { name: 'Traces' });
      await list.locator('tbody tr').nth(1).waitFor();
      const compare = page.getByRole('button', { name: /^Compare/ });
      assert.equal(await compare.isDisabled(), true);
      const csv = await download(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
      assert.equal(csv.trim().split('\r\n').length, 3);
      assert.match(csv, /^trace_id,start_time,root_name,/);
      // Oldest run first, so it is the baseline a.
      const boxes = list.getByRole('checkbox');
      await boxes.nth(1).check();
      await boxes.nth(0).check();
      await compare.click();
      await page.waitForURL(new RegExp(`/diff\\?a=${runs[0]}&b=${runs[1]}$`));
      await page.getByRole('status').getByText('1 changed · 0 added · 0 removed · 4 unchanged spans').waitFor();
      const changed = page.getByRole('table', { name: 'Span differences' }).locator('tbody tr[data-status="changed"]');
      assert.equal(await changed.count(), 1);
      assert.match(await changed.innerText(), /lookup_order[\s\S]*arguments: \{"orderId":"48213"\} → \{"orderId":"48214"\}/);
      const steps = page.getByRole('region', { name: 'Tool calls' }).locator('li');
      assert.deepEqual(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))), ['changed', 'same']);
      await page.getByRole('table', { name: 'Totals and deltas' }).getByRole('row', { name: /^Tool calls 2 2 ±0$/ }).waitFor();
    });
  });
});
