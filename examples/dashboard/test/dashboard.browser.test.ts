import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type MetricResult, type MetricSeriesPoint, metricWindow } from '@teamstate/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatDifference, formatInterval, formatValue } from '../public/format.js';
import { DORA_METRIC_IDS, TREND_METRIC_IDS, trendWindow } from '../src/dashboard.js';
import { type RunningDashboard, startDashboard } from '../src/server.js';
import { importTeamWithoutAi, TEAM_WITHOUT_AI } from './ai-pull-requests.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `chromium not found at ${CHROMIUM}: install the Debian package chromium (apt-get install chromium) to run the dashboard browser test`,
  );
}

const outputDir = fileURLToPath(new URL('../test-output/', import.meta.url));
const now = new Date('2026-03-18T10:00:00Z');

describe.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, now });
    await importTeamWithoutAi(dashboard.teamState, now);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const origin = new URL(dashboard.url).origin;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && new URL(url).origin !== origin) problems.push(`request outside the dashboard: ${url}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  const metricsOf = (team: string) => {
    const ts = dashboard.teamState;
    return ts.metrics.compute([...DORA_METRIC_IDS, 'pr_cycle_time', 'wip', 'aging_wip'], { ...metricWindow({}, now), team });
  };
  const trendsOf = (team: string) =>
    dashboard.teamState.metrics.compute([...TREND_METRIC_IDS], { ...trendWindow(now), team, granularity: 'week' });
  const seriesOf = (result: MetricResult | undefined) => (result?.series ?? []) as MetricSeriesPoint[];

  const waitForTeam = (team: string) => page.waitForSelector(`[data-testid="dashboard"][data-state="ready"][data-team="${team}"]`);
  const tileTexts = () =>
    Promise.all(DORA_METRIC_IDS.map((id) => page.locator(`[data-testid="dora-value-${id}"]`).textContent())) as Promise<string[]>;
  /** The datasets each chart holds, read from the Chart.js instances on the page. */
  const chartData = (testid: string) =>
    page.evaluate((id) => {
      const canvas = document.querySelector(`canvas[data-testid="${id}"]`);
      const chart = (
        globalThis as unknown as { Chart: { getChart(c: unknown): { data: { datasets: { data: unknown[] }[] } } } }
      ).Chart.getChart(canvas);
      return chart ? chart.data.datasets.map((dataset) => dataset.data) : null;
    }, testid);

  /** Every DORA tile shows the SDK's number for `team`, with its band; every chart holds the SDK's weekly series. */
  async function expectTeamShown(team: string) {
    const [metrics, trends] = await Promise.all([metricsOf(team), trendsOf(team)]);
    for (const id of DORA_METRIC_IDS) {
      const result = metrics[id]!;
      const value = page.locator(`[data-testid="dora-value-${id}"]`);
      expect(await value.textContent()).toBe(formatValue(result.value, result.unit));
      expect(await value.getAttribute('data-value')).toBe(String(result.value));
      expect(await page.locator(`[data-testid="dora-band-${id}"]`).textContent()).toBe(result.band ?? 'no data');
      const [line] = (await chartData(`chart-${id}`))!;
      expect(line).toEqual(seriesOf(trends[id]).map((point) => point.value));
    }
    expect(await page.locator('[data-testid="cycle-p50"]').textContent()).toBe(formatValue(metrics.pr_cycle_time!.value, 'hours'));
    expect(await page.locator('[data-testid="wip-value"]').textContent()).toBe(formatValue(metrics.wip!.value, 'count'));
    expect(await page.locator('[data-testid="aging-p50"]').textContent()).toBe(formatValue(metrics.aging_wip!.value, 'hours'));

    const stacked = (await chartData('chart-cycle-time'))!;
    const cycleSeries = seriesOf(trends.pr_cycle_time) as (MetricSeriesPoint & { breakdown?: Record<string, { p50: number | null }> })[];
    expect(stacked).toEqual(
      ['coding', 'pickup', 'review', 'deploy'].map((phase) => cycleSeries.map((point) => point.breakdown?.[phase]?.p50 ?? null)),
    );
    const [wipBars, agingLine] = (await chartData('chart-wip'))!;
    expect(wipBars).toEqual(seriesOf(trends.wip).map((point) => point.value));
    expect(agingLine).toEqual(seriesOf(trends.aging_wip).map((point) => point.value));

    // Data, not empty axes: every chart has positive numbers.
    for (const testid of [...DORA_METRIC_IDS.map((id) => `chart-${id}`), 'chart-cycle-time', 'chart-wip']) {
      const datasets = (await chartData(testid))!;
      expect(
        datasets.flat().some((n) => typeof n === 'number' && n > 0),
        testid,
      ).toBe(true);
    }

    const signals = await dashboard.teamState.signals.list({ team, status: 'open' });
    expect(signals.length).toBeGreaterThan(0);
    expect(
      await page.locator('[data-testid="signal-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-fingerprint'))),
    ).toEqual(signals.map((signal) => signal.fingerprint));
    const approvals = await dashboard.teamState.approvals.list({ status: 'pending' });
    expect(
      await page.locator('[data-testid="approval-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-approval-id'))),
    ).toEqual(approvals.map((approval) => approval.id));
  }

  const textOf = (testid: string) => page.locator(`[data-testid="${testid}"]`).textContent();
  const aiTexts = () => Promise.all(['ai-assisted-n', 'ai-other-n', 'ai-cycle-difference', 'ai-verdict'].map(textOf));

  /** The AI panel shows `ts.aiImpact` for `team` over the tiles' window: cohorts, differences, intervals, verdict, weekly share. */
  async function expectAiShown(team: string) {
    const ai = await dashboard.teamState.aiImpact({ ...metricWindow({}, now), team });
    expect(await textOf('ai-assisted-n')).toBe(String(ai.assisted.n));
    expect(await textOf('ai-other-n')).toBe(String(ai.other.n));
    expect(await textOf('ai-assisted-cycle')).toBe(formatValue(ai.assisted.cycleTimeHoursP50, 'hours'));
    expect(await textOf('ai-other-cycle')).toBe(formatValue(ai.other.cycleTimeHoursP50, 'hours'));
    expect(await textOf('ai-cycle-difference')).toBe(formatDifference(ai.comparison.cycleTimeHours.difference));
    expect(await textOf('ai-cycle-interval')).toBe(formatInterval(ai.comparison.cycleTimeHours.interval));
    expect(await textOf('ai-assisted-review')).toBe(formatValue(ai.assisted.timeToFirstReviewHoursP50, 'hours'));
    expect(await textOf('ai-other-review')).toBe(formatValue(ai.other.timeToFirstReviewHoursP50, 'hours'));
    expect(await textOf('ai-review-difference')).toBe(formatDifference(ai.comparison.timeToFirstReviewHours.difference));
    expect(await textOf('ai-review-interval')).toBe(formatInterval(ai.comparison.timeToFirstReviewHours.interval));
    expect(await textOf('ai-verdict')).toBe(ai.verdict);
    expect(await page.locator('[data-testid="ai-empty"]').isVisible()).toBe(ai.assisted.n === 0);
    const [shares] = (await chartData('chart-ai-adoption'))!;
    expect(shares).toEqual(ai.weekly.map((week) => week.share));
    return ai;
  }

  test('the page loads with data from the demo workspace and no errors', async () => {
    await page.goto(dashboard.url);
    const [first] = await dashboard.teamState.teams.list();
    await waitForTeam(first!.id);
    expect(await page.locator('[data-testid="team-select"]').inputValue()).toBe(first!.id);
    await expectTeamShown(first!.id);
    // growth has barely started with AI assistants: too few AI-assisted PRs for a comparison.
    const ai = await expectAiShown(first!.id);
    expect(ai.assisted.n).toBeGreaterThan(0);
    expect(ai.assisted.n).toBeLessThan(ai.minSample);
    expect(await textOf('ai-cycle-interval')).toBe('not enough data');
    expect(await textOf('ai-verdict')).toMatch(/^Not enough data: \d+ AI-assisted/);
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: `${outputDir}dashboard.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  test('switching team changes the numbers to that team', async () => {
    const before = await tileTexts();
    const aiBefore = await aiTexts();
    await page.selectOption('[data-testid="team-select"]', 'payments');
    await waitForTeam('payments');
    const after = await tileTexts();
    expect(after).not.toEqual(before);
    await expectTeamShown('payments');
    const ai = await expectAiShown('payments');
    expect(await aiTexts()).not.toEqual(aiBefore);
    // payments has enough AI-assisted PRs for a comparison: intervals, a weekly share above zero, no "none" notice.
    expect(ai.assisted.n).toBeGreaterThanOrEqual(ai.minSample);
    expect(ai.comparison.cycleTimeHours.interval).not.toBeNull();
    expect(await textOf('ai-cycle-interval')).toMatch(/ h to /);
    expect(ai.weekly.some((week) => (week.share ?? 0) > 0)).toBe(true);
    expect(new URL(page.url()).searchParams.get('team')).toBe('payments');
    await page.screenshot({ path: `${outputDir}dashboard-payments.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  test('the AI panel of a team without AI-assisted PRs says there are none', async () => {
    const aiBefore = await aiTexts();
    await page.selectOption('[data-testid="team-select"]', TEAM_WITHOUT_AI);
    await waitForTeam(TEAM_WITHOUT_AI);
    const ai = await expectAiShown(TEAM_WITHOUT_AI);
    expect(await aiTexts()).not.toEqual(aiBefore);
    expect(ai.assisted.n).toBe(0);
    expect(await textOf('ai-empty')).toBe('No AI-assisted pull requests in this window.');
    expect(ai.verdict).toMatch(/^Not enough data/);
    await page.screenshot({ path: `${outputDir}dashboard-research.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
