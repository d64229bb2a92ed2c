// The web UI's views that explain a run, in a real browser against a real `cairn serve` seeded
// through OTLP with the demo workload and one trace carrying events, parameters and a link:
// the agent graph, the critical path with the root-cause hint and findings, span detail
// (model parameters, retrieved documents, event ticks, links), a session as one conversation,
// the first-run empty state, and the 1280×800 layout in light and dark. No console errors.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import type { ApiTraceDetail, ApiTraceSummary } from '../../apps/web/src/api/api-types.js';
import { runCli, startCairn, type CairnProcess } from '../support/cairn-process.js';
import { chromiumMissingReason, collectPageErrors, isCi, launchChromium } from './support/chromium.js';
import { postRichTrace, type RichTrace } from './support/rich-trace.js';

const missing = chromiumMissingReason();
if (missing !== null && isCi()) {
  void test('Chromium is installed (required under CI)', () => assert.fail(missing));
}

const LOAD_TIMEOUT_MILLIS = 30_000;

void describe('web UI: graph, analysis, span detail, sessions', { skip: missing ?? false }, () => {
  let cairn: CairnProcess;
  let browser: Browser;
  let traces: ApiTraceSummary[];
  let rich: RichTrace;

  /** The first demo trace whose agents include `agent`. */
  const traceWithAgent = (agent: string) => traces.find((trace) => trace.agents.includes(agent))!;

  before(async () => {
    cairn = await startCairn();
    const demo = await runCli(['demo', '--endpoint', cairn.otlpHttpUrl, '--traces', '5']);
    assert.equal(demo.code, 0, demo.stderr);
    traces = ((await (await fetch(`${cairn.apiUrl}/api/v1/traces?limit=50`)).json()) as { items: ApiTraceSummary[] }).items;
    const research = (await (await fetch(`${cairn.apiUrl}/api/v1/traces/${traceWithAgent('researcher').traceId}`)).json()) as ApiTraceDetail;
    const researchRoot = research.spans.find((span) => span.parentSpanId === null)!;
    rich = await postRichTrace(cairn.otlpHttpUrl, cairn.apiUrl, { traceId: researchRoot.traceId, spanId: researchRoot.spanId });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  /**
   * Runs `body` on a fresh 1280×800 page and fails if the page logged any error, except the
   * browser's own "Failed to load resource" line for a URL `allowFailedUrl` matches.
   */
  async function withPage(body: (page: Page) => Promise<void>, options: { colorScheme?: 'light' | 'dark'; allowFailedUrl?: RegExp } = {}): Promise<void> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
    page.setDefaultTimeout(LOAD_TIMEOUT_MILLIS);
    const allowed: ConsoleMessage[] = [];
    if (options.allowFailedUrl) {
      const pattern = options.allowFailedUrl;
      page.on('console', (message) => {
        if (message.text().startsWith('Failed to load resource') && pattern.test(message.location().url)) allowed.push(message);
      });
    }
    const errors = collectPageErrors(page);
    try {
      await body(page);
      let excused = allowed.length;
      const unexpected = errors.filter((error) => !(excused > 0 && error.startsWith('console.error: Failed to load resource') && excused-- > 0));
      assert.deepEqual(unexpected, [], 'the page logged errors');
    } finally {
      await page.close();
    }
  }

  void test('the agent graph shows agents, tools and models with counts; clicking a node narrows the tree to its spans', async () => {
    const research = traceWithAgent('researcher');
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${research.traceId}`);
      const graph = page.getByRole('group', { name: 'Agent graph' });
      await graph.waitFor();
      await graph.getByRole('button', { name: /^Agent orchestrator: 1 span/ }).waitFor();
      await graph.getByRole('button', { name: /^Agent researcher: 1 span/ }).waitFor();
      await graph.getByRole('button', { name: /^Model gpt-4o-2024-08-06: 2 spans/ }).waitFor();
      const webSearch = graph.getByRole('button', { name: /^Tool web_search: 3 spans · 6\.30 s$/ });
      await webSearch.waitFor();
      // The researcher called web_search three times (0.9 + 4.3 + 1.1 s).
      assert.match(await graph.locator('[data-edge="agent:researcher→tool:web_search"] text').innerHTML(), /×3 · 6\.30 s/);
      assert.match(await graph.locator('[data-edge="agent:orchestrator→agent:researcher"]').getAttribute('class') ?? '', /handoff/);

      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      assert.equal(await tree.getByRole('treeitem').count(), 10);
      await webSearch.click();
      await page.waitForURL(/focus=tool%3Aweb_search/);
      assert.equal(await webSearch.getAttribute('aria-pressed'), 'true');
      await page.getByRole('status').getByText('Showing the 3 spans of tool web_search').waitFor();
      const names = await tree.getByRole('treeitem').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
      assert.equal(names.length, 5, `the three calls under their agent and the root: ${names.join(' | ')}`);
      assert.equal(names.filter((name) => name.includes('execute_tool web_search')).length, 3);
      // The first of its spans is opened.
      await page.getByRole('complementary', { name: 'Span details' }).getByRole('group', { name: 'Input' }).waitFor();
      assert.match(page.url(), /span=[0-9a-f]{16}/);

      // Keyboard works on nodes too; clicking the focused node again shows everything.
      await graph.getByRole('button', { name: /^Agent writer/ }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/focus=agent%3Awriter/);
      await graph.getByRole('button', { name: /^Agent writer/ }).click();
      await page.waitForFunction(() => !window.location.search.includes('focus='));
      assert.equal(await tree.getByRole('treeitem').count(), 10);
    });
  });

  void test('the critical path is outlined, the root-cause hint opens the failed span, findings narrow the tree', async () => {
    const failing = traces.find((trace) => trace.agents.includes('billing'))!;
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${failing.traceId}`);
      const note = page.getByRole('note', { name: 'Root cause' });
      // The hint looks through the billing agent (status unset) to the tool that failed.
      await note.getByText(/issue_refund.*payment gateway returned 502 Bad Gateway/).waitFor();
      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      await tree.getByRole('treeitem', { name: /on the critical path/ }).first().waitFor();
      assert.ok((await page.locator('.span-row.critical').count()) >= 2);
      await note.getByRole('button', { name: 'Show span' }).click();
      await page.getByRole('complementary', { name: 'Span details' }).getByText('execute_tool issue_refund').first().waitFor();
    });

    const loop = traceWithAgent('coder');
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${loop.traceId}`);
      await page.getByText(/^Findings \(\d+\): .*tool loop/).click();
      const finding = page.getByRole('list', { name: 'Findings' }).getByRole('button', { name: /tool "run_tests" was called 7 times/ });
      await finding.click();
      await page.waitForURL(/focus=finding%3A0/);
      const rows = await page.getByRole('tree', { name: 'Spans of this trace' }).getByRole('treeitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
      assert.equal(rows.filter((name) => name.includes('run_tests')).length, 7);
      assert.ok(rows.every((name) => /run_tests|invoke_agent/.test(name)), rows.join(' | '));
      // "Critical path" narrows to the critical path.
      await page.getByRole('button', { name: 'Critical path' }).click();
      await page.waitForURL(/focus=critical/);
      const critical = await page.getByRole('tree', { name: 'Spans of this trace' }).getByRole('treeitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
      assert.ok(critical.every((name) => name.endsWith('on the critical path')), critical.join(' | '));
    });
  });

  void test('without an analysis endpoint (404) the trace view still works, quietly', async () => {
    const failing = traces.find((trace) => trace.agents.includes('billing'))!;
    await withPage(
      async (page) => {
        await page.route('**/api/v1/traces/*/analysis', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"no endpoint"}}' }));
        await page.goto(`${cairn.apiUrl}/traces/${failing.traceId}`);
        const tree = page.getByRole('tree', { name: 'Spans of this trace' });
        await tree.getByRole('treeitem').first().waitFor();
        await page.waitForTimeout(300);
        assert.equal(await page.getByRole('note', { name: 'Root cause' }).count(), 0);
        assert.equal(await page.getByRole('button', { name: 'Critical path' }).count(), 0);
        assert.equal(await page.getByRole('alert').count(), 0, 'no error banner');
        assert.equal(await tree.getByRole('treeitem').count(), 5);
      },
      { allowFailedUrl: /\/analysis$/ },
    );
  });

  void test('span detail: model parameters, retrieved documents with scores, event ticks on the waterfall, links to linked traces', async () => {
    const research = traceWithAgent('researcher');
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${research.traceId}`);
      const tree = page.getByRole('tree', { name: 'Spans of this trace' });
      const panel = page.getByRole('complementary', { name: 'Span details' });
      await tree.getByRole('treeitem', { name: /Retrieval retrieval policy_docs/ }).click();
      const documents = panel.getByRole('list', { name: 'Retrieved documents' });
      await documents.waitFor();
      assert.equal(await documents.getByRole('listitem').count(), 2);
      const first = documents.getByRole('listitem', { name: 'Document 1 refunds.md#damaged' });
      assert.match(await first.innerText(), /score 0\.910[\s\S]*Damaged items are refunded in full within 30 days/);

      await tree.getByRole('treeitem', { name: /LLM call chat gpt-4o/ }).first().click();
      assert.match(await panel.getByRole('definition').filter({ hasText: '0.2' }).first().innerText(), /^0\.2$/);
      await panel.locator('dl[aria-label="Model parameters"]').getByText('temperature').waitFor();
    });

    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/traces/${rich.traceId}?span=${rich.llmSpanId}`);
      const panel = page.getByRole('complementary', { name: 'Span details' });
      const parameters = panel.locator('dl[aria-label="Model parameters"]');
      await parameters.waitFor();
      assert.match(await parameters.innerText(), /temperature\s+0\.7\s+max_tokens\s+256\s+top_p\s+0\.9/);
      // Once the span is open, its events are ticks on its waterfall bar, each kind told apart.
      const row = page.locator(`[data-span-id="${rich.llmSpanId}"]`);
      await row.locator('.event-tick').first().waitFor();
      const ticks = await row.locator('.event-tick').evaluateAll((elements) => elements.map((element) => [element.getAttribute('data-event-kind'), element.getAttribute('title')]));
      assert.deepEqual(ticks.map(([kind]) => kind).sort(), ['cache_hit', 'exception', 'fallback', 'rate_limited', 'retry']);
      assert.ok(ticks.some(([kind, title]) => kind === 'fallback' && /fallback: gen_ai\.fallback at \+500 ms/.test(title ?? '')), JSON.stringify(ticks));
      // Ticks sit inside the bar: the call ran from 100 to 1,000 ms of a 1,300 ms trace.
      const lefts = await row.locator('.event-tick').evaluateAll((elements) => elements.map((element) => parseFloat((element as HTMLElement).style.left)));
      assert.ok(lefts.every((left) => left > 100 / 13 && left < 1000 / 13), String(lefts));
      await panel.getByText('rate limited', { exact: true }).waitFor();

      // The linked span leads to the other trace.
      await page.getByRole('tree', { name: 'Spans of this trace' }).getByRole('treeitem', { name: /resume_booking/ }).click();
      const link = panel.getByRole('link', { name: /…\/[0-9a-f]{16}/ });
      await link.waitFor();
      assert.match(await panel.innerText(), /other trace/);
      await link.click();
      await page.waitForURL(new RegExp(`/traces/(?!${rich.traceId})[0-9a-f]{32}\\?span=`));
      await page.getByRole('group', { name: 'Agent graph' }).getByRole('button', { name: /^Agent researcher/ }).waitFor();
    });
  });

  void test('a session reads as one conversation, oldest turn first, each linking to its trace', async () => {
    await withPage(async (page) => {
      await page.goto(`${cairn.apiUrl}/sessions/sess-refund-4471`);
      const conversation = page.getByRole('list', { name: 'Session conversation' });
      const firstTurn = conversation.getByRole('listitem', { name: 'Turn 1' });
      await firstTurn.getByLabel('user message').getByText('Can I get a refund for order #4471? It arrived broken.').waitFor();
      await firstTurn.getByLabel('assistant message').getByText(/^Sorry your order arrived broken!/).waitFor();
      const turns = conversation.getByRole('listitem', { name: /^Turn \d+$/ });
      assert.equal(await turns.count(), 3);
      await conversation.getByRole('listitem', { name: 'Turn 3' }).getByLabel('assistant message').getByText(/3–5 business days/).waitFor();
      await conversation.getByRole('listitem', { name: 'Turn 2' }).getByText('2 errors').waitFor();
      await firstTurn.getByRole('link', { name: /Open trace/ }).click();
      await page.waitForURL(/\/traces\/[0-9a-f]{32}$/);
      await page.getByRole('group', { name: 'Agent graph' }).getByRole('button', { name: /^Agent researcher/ }).waitFor();
    });
  });

  void test('the empty state shows the exporter variables, the SDK snippet and cairn demo', async () => {
    await withPage(async (page) => {
      await page.route('**/api/v1/traces?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"items":[],"nextCursor":null}' }));
      await page.goto(`${cairn.apiUrl}/traces`);
      const empty = page.getByRole('status').filter({ hasText: 'No traces yet' });
      await empty.waitFor();
      assert.match(await empty.innerText(), /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4318/);
      assert.match(await page.getByLabel('SDK snippet').innerText(), /import \{ init \} from '@cairn\/sdk';\s+init\(\{ serviceName: 'my-agent' \}\)/);
      assert.match(await empty.innerText(), /npm run cairn -- demo/);
    });
  });

  void test('1280×800 in light and dark: no page scrolls sideways and the trace toolbar fits', async () => {
    const research = traceWithAgent('researcher');
    const llmSpan = ((await (await fetch(`${cairn.apiUrl}/api/v1/traces/${research.traceId}`)).json()) as ApiTraceDetail).spans.find((span) => span.spanType === 'llm')!;
    const paths = ['/traces', `/traces/${research.traceId}`, `/traces/${research.traceId}?span=${llmSpan.spanId}`, '/sessions', '/sessions/sess-refund-4471'];
    for (const colorScheme of ['light', 'dark'] as const) {
      await withPage(
        async (page) => {
          for (const path of paths) {
            await page.goto(`${cairn.apiUrl}${path}`);
            await page.locator('table tbody tr, [role="treeitem"], [aria-label="Session conversation"] .msg').first().waitFor();
            const overflow = await page.evaluate(() => {
              const root = document.documentElement;
              const toolbar = document.querySelector('.tree-toolbar');
              return { page: root.scrollWidth - root.clientWidth, toolbar: toolbar ? toolbar.scrollWidth - toolbar.clientWidth : 0 };
            });
            assert.deepEqual(overflow, { page: 0, toolbar: 0 }, `${colorScheme} ${path}`);
          }
          const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
          assert.equal(background === 'rgb(15, 17, 23)', colorScheme === 'dark', `${colorScheme}: ${background}`);
        },
        { colorScheme },
      );
    }
  });
});
