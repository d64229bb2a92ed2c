// The web UI in a real browser against a real `cairn serve`, seeded through real OTLP: the demo
// workload (`cairn demo`) and a generated 20,000-span trace. Every page must render without a
// console error.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiTraceDetail } from '../../apps/web/src/api/api-types.js';
import { buildSpanTree } from '../../apps/web/src/model/span-tree.js';
import { flattenVisibleRows } from '../../apps/web/src/model/visible-rows.js';
import { runCli, startCairn, type CairnProcess } from '../support/cairn-process.js';
import { postBigTrace } from './support/big-trace.js';
import { chromiumMissingReason, collectPageErrors, isCi, launchChromium } from './support/chromium.js';

const missing = chromiumMissingReason();
if (missing !== null && isCi()) {
  void test('Chromium is installed (required under CI)', () => assert.fail(missing));
}

const LOAD_TIMEOUT_MILLIS = 30_000;

void describe('web UI in Chromium', { skip: missing ?? false }, () => {
  let cairn: CairnProcess;
  let browser: Browser;
  let context: BrowserContext;
  let bigTraceId: string;

  before(async () => {
    cairn = await startCairn();
    const demo = await runCli(['demo', '--endpoint', cairn.otlpHttpUrl, '--traces', '6']);
    assert.equal(demo.code, 0, demo.stderr);
    bigTraceId = await postBigTrace(cairn.otlpHttpUrl, cairn.apiUrl, 20_000);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(LOAD_TIMEOUT_MILLIS);
  });

  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  /** Runs `body` on a fresh page and fails if the page logged any error. */
  async function withPage(body: (page: Page) => Promise<void>): Promise<void> {
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      await body(page);
      assert.deepEqual(errors, [], 'the page logged errors');
    } finally {
      await page.close();
    }
  }

  void test('the trace list shows the demo traces and filters them through the URL', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/`);
      const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
      await rows.first().waitFor();
      const total = await rows.count();
      assert.ok(total >= 7, `expected the demo traces and the big one, got ${total} rows`);

      await page.getByLabel('Tool', { exact: true }).fill('run_tests');
      await page.getByLabel('Tool', { exact: true }).press('Enter');
      await page.waitForURL(/tool=run_tests/);
      await page.waitForFunction((before) => document.querySelectorAll('table[aria-label="Traces"] tbody tr').length < before, total);
      const filtered = await rows.allInnerTexts();
      assert.ok(filtered.length >= 1);
      for (const row of filtered) assert.match(row, /dev-assistant/, 'only the coder runs call run_tests');

      // The URL alone restores the view.
      await page.goto(`${cairn.apiUrl}/traces?tool=run_tests&status=error`);
      await rows.first().waitFor();
      assert.equal(await page.getByLabel('Tool', { exact: true }).inputValue(), 'run_tests');
      assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'error');
      for (const row of await rows.allInnerTexts()) assert.match(row, /dev-assistant/);
    });
  });

  void test('a trace opens as a span tree; an LLM span reads as a conversation; a tool span shows its arguments and result', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces?tool=run_tests`);
      await page.getByRole('table', { name: 'Traces' }).getByRole('link').first().click();
      await page.waitForURL(/\/traces\/[0-9a-f]{32}$/);
      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      await tree.getByRole('treeitem').first().waitFor();
      assert.ok((await tree.getByRole('treeitem').count()) >= 10);
      // The failing coder agent is highlighted as an error.
      assert.equal(await tree.locator('.span-row.error').count() >= 1, true);

      await tree.getByRole('treeitem', { name: /LLM call chat gpt-4o-mini/ }).first().click();
      const panel = page.getByRole('complementary', { name: 'Span details' });
      const conversation = panel.getByRole('list', { name: 'Conversation' });
      await conversation.waitFor();
      await conversation.getByRole('listitem', { name: 'user message' }).getByText('Fix the failing test in cart.test.ts').waitFor();
      await conversation.getByRole('listitem', { name: 'assistant message' }).getByLabel('Tool call run_tests').waitFor();
      assert.match(await panel.getByRole('list', { name: 'Token usage' }).innerText(), /Input\s+900/);
      assert.match(page.url(), /\?span=[0-9a-f]{16}$/, 'the opened span is in the URL');

      await tree.getByRole('treeitem', { name: /Tool call execute_tool run_tests/ }).first().click();
      await panel.getByRole('group', { name: 'Input' }).getByText('"cart.test.ts"').waitFor();
      await panel.getByRole('group', { name: 'Output' }).getByText('"expected 3 items, got 2"').waitFor();

      // Keyboard: Home, then down twice lands on the first LLM call; Enter opens it.
      await tree.focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await panel.getByRole('list', { name: 'Conversation' }).waitFor();
      // Left on the agent row collapses it.
      await page.keyboard.press('ArrowUp');
      const before = await tree.getByRole('treeitem').count();
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((count) => document.querySelectorAll('[role="treeitem"]').length < count, before);
    });
  });

  void test('the 20,000-span trace opens, renders only the rows in view, and scrolls to its last span', async () => {
    const trace = (await (await fetch(`${cairn.apiUrl}/api/v1/traces/${bigTraceId}`)).json()) as ApiTraceDetail;
    const rows = flattenVisibleRows(buildSpanTree(trace.spans, trace.placeholders), new Set());
    assert.equal(rows.length, 20_000);
    const last = rows[rows.length - 1]!;

    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${bigTraceId}`);
      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      await tree.getByRole('treeitem').first().waitFor();
      const rendered = await tree.getByRole('treeitem').count();
      assert.ok(rendered < 100, `virtualized: ${rendered} rows in the DOM`);

      // Scroll top to bottom in viewport-sized steps, like a user holding Page Down.
      await tree.evaluate(async (element) => {
        while (element.scrollTop + element.clientHeight < element.scrollHeight - 1) {
          element.scrollTop += element.clientHeight;
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      });
      const lastRow = page.locator(`[data-span-id="${last.spanId}"]`);
      await lastRow.waitFor({ state: 'visible' });
      assert.match(await lastRow.innerText(), new RegExp(last.span!.name));
      assert.ok((await tree.getByRole('treeitem').count()) < 100);
    });
  });

  void test('sessions: the list links to a session page listing its traces', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/sessions`);
      const sessions = page.getByRole('table', { name: 'Sessions' });
      await sessions.locator('tbody tr').first().waitFor();
      await sessions.getByRole('link').first().click();
      await page.waitForURL(/\/sessions\/.+/);
      const traces = page.getByRole('table', { name: /Traces of session/ });
      await traces.locator('tbody tr').first().waitFor();
      assert.ok((await traces.locator('tbody tr').count()) >= 1);
    });
  });

  void test('an unreachable API shows a clear banner', async () => {
    const page = await context.newPage();
    try {
      await page.route('**/api/v1/traces?*', (route) => route.abort('connectionrefused'));
      await page.goto(`${cairn.apiUrl}/traces`);
      await page.getByRole('alert').getByText('Cannot reach the Cairn server.').waitFor();
    } finally {
      await page.close();
    }
  });
});
