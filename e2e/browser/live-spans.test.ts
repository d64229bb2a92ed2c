// Live spans in a real browser: a real @cairn/sdk process with a hung tool call against a real
// `cairn serve`. The trace list's Running now panel shows the tool with its elapsed time ticking
// and links to the trace, where the span is drawn running; once the tool ends the panel empties.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCairn, type CairnProcess } from '../support/cairn-process.js';
import { startHungAgent } from '../support/hung-agent-process.js';
import { chromiumMissingReason, collectPageErrors, isCi, launchChromium } from './support/chromium.js';

const missing = chromiumMissingReason();
if (missing !== null && isCi()) {
  void test('Chromium is installed (required under CI)', () => assert.fail(missing));
}

/** Seconds shown by formatDurationMs ("644 ms", "1.23 s", "12.3 s", "1m 5s"). */
function seconds(text: string): number {
  const minutes = /(\d+)m (\d+)s/.exec(text);
  if (minutes) return Number(minutes[1]) * 60 + Number(minutes[2]);
  const millis = /([\d.]+) ms/.exec(text);
  if (millis) return Number(millis[1]) / 1000;
  const plain = /([\d.]+) s/.exec(text);
  return plain ? Number(plain[1]) : Number.NaN;
}

void describe('Running now panel in Chromium', { skip: missing ?? false }, () => {
  let cairn: CairnProcess;
  let browser: Browser;

  before(async () => {
    cairn = await startCairn();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  void test('shows a hung tool call with its elapsed time, links to its running trace, and clears when it ends', { timeout: 90_000 }, async () => {
    const agent = await startHungAgent(cairn.otlpHttpUrl);
    const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    try {
      await page.goto(`${cairn.apiUrl}/traces`);
      const panel = page.getByRole('region', { name: 'Running now' });
      const row = panel.locator(`li[data-span-id="${agent.spanId}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /execute_tool slow_lookup/);
      assert.match(await row.innerText(), /tool slow_lookup/);
      const elapsed = row.locator('.elapsed');
      const first = seconds(await elapsed.innerText());
      await page.waitForFunction(
        ({ selector, before }) => {
          const text = document.querySelector(selector)?.textContent ?? '';
          // Past a second the panel shows "1.23 s" (the ms form can only be the value already read).
          const value = Number(/([\d.]+) s/.exec(text)?.[1] ?? 'NaN');
          return value >= before + 1.5;
        },
        { selector: `li[data-span-id="${agent.spanId}"] .elapsed`, before: first },
      );

      await row.getByRole('link').click();
      await page.waitForURL(new RegExp(`/traces/${agent.traceId}\\?span=${agent.spanId}`));
      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      const running = tree.getByRole('treeitem', { name: /execute_tool slow_lookup.*running/ });
      await running.waitFor();
      assert.equal(await tree.locator('.span-row.live').count(), 2, 'the agent and the tool are drawn running');

      assert.equal(await agent.finish(), 0, agent.output());
      // The trace view reloads while spans run: the finished spans replace the running ones.
      await page.waitForFunction(() => document.querySelectorAll('.span-row').length === 2 && document.querySelectorAll('.span-row.live').length === 0);

      await page.goto(`${cairn.apiUrl}/traces`);
      await page.getByRole('table', { name: 'Traces' }).locator('tbody tr').first().waitFor();
      await page.waitForTimeout(2_500);
      assert.equal(await panel.count(), 0, 'the panel is hidden when nothing runs');
      assert.deepEqual(errors, [], 'the pages logged errors');
    } finally {
      agent.kill();
      await page.close();
    }
  });
});
