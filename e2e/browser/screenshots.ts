// Regenerates the README's screenshots of the web UI: a fresh `cairn serve` seeded with the
// demo workload, photographed in headless Chromium at 1280×800 (the agent graph also in dark).
//
//   node --import tsx e2e/browser/screenshots.ts   → docs/screenshots/*.png

import path from 'node:path';
import { REPO_ROOT, runCli, startCairn } from '../support/cairn-process.js';
import { launchChromium } from './support/chromium.js';

interface TraceListBody {
  items: { traceId: string; sessionId: string | null; llmCallCount: number; toolCallCount: number; spanCount: number; agents: string[] }[];
}

const OUT_DIR = path.join(REPO_ROOT, 'docs/screenshots');

const cairn = await startCairn();
const browser = await launchChromium();
try {
  const demo = await runCli(['demo', '--endpoint', cairn.otlpHttpUrl, '--traces', '12']);
  if (demo.code !== 0) throw new Error(demo.stderr);
  const list = (await (await fetch(`${cairn.apiUrl}/api/v1/traces?limit=100`)).json()) as TraceListBody;
  // The richest trace: most LLM and tool calls.
  const trace = [...list.items].sort((a, b) => b.llmCallCount + b.toolCallCount - (a.llmCallCount + a.toolCallCount))[0]!;
  const detail = (await (await fetch(`${cairn.apiUrl}/api/v1/traces/${trace.traceId}`)).json()) as { spans: { spanId: string; spanType: string }[] };
  const llmSpan = detail.spans.filter((span) => span.spanType === 'llm')[1] ?? detail.spans.find((span) => span.spanType === 'llm')!;
  // The session with the most turns.
  const turns = new Map<string, number>();
  for (const item of list.items) if (item.sessionId !== null) turns.set(item.sessionId, (turns.get(item.sessionId) ?? 0) + 1);
  const session = [...turns.entries()].sort((a, b) => b[1] - a[1])[0]![0];

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${cairn.apiUrl}/traces`);
  await page.locator('table tbody tr').first().waitFor();
  await page.screenshot({ path: path.join(OUT_DIR, 'trace-list.png') });

  await page.goto(`${cairn.apiUrl}/traces/${trace.traceId}?span=${llmSpan.spanId}`);
  await page.getByRole('list', { name: 'Conversation' }).waitFor();
  await page.screenshot({ path: path.join(OUT_DIR, 'trace-view.png') });

  await page.goto(`${cairn.apiUrl}/sessions/${encodeURIComponent(session)}`);
  await page.getByRole('list', { name: 'Session conversation' }).locator('.msg').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.conversation .loading').length === 0);
  await page.screenshot({ path: path.join(OUT_DIR, 'session.png') });

  // The agent graph of the research run, with one tool's spans picked out, in the dark theme.
  const research = list.items.find((item) => item.agents.includes('researcher'))!;
  const dark = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await dark.goto(`${cairn.apiUrl}/traces/${research.traceId}`);
  await dark.getByRole('group', { name: 'Agent graph' }).getByRole('button', { name: /^Tool web_search/ }).click();
  await dark.getByRole('complementary', { name: 'Span details' }).getByRole('group', { name: 'Input' }).waitFor();
  await dark.screenshot({ path: path.join(OUT_DIR, 'agent-graph.png') });
  process.stdout.write(`wrote ${OUT_DIR}/{trace-list,trace-view,session,agent-graph}.png\n`);
} finally {
  await browser.close();
  await cairn.stop();
}
