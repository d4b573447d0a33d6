// The dashboard page: fetches /api/teams, /api/dashboard?team=… and /api/ai?team=… and draws them with Chart.js
// (the UMD build, loaded before this module, defines the global `Chart`).
import { formatDifference, formatHours, formatInterval, formatShare, formatValue, weekLabel } from './format.js';

const { Chart } = globalThis;
const DORA = ['deployment_frequency', 'lead_time_for_changes', 'change_failure_rate', 'time_to_restore_service'];
const PHASES = [
  { id: 'coding', label: 'Coding', color: '#7aa6d6' },
  { id: 'pickup', label: 'Pickup', color: '#f0b35a' },
  { id: 'review', label: 'Review', color: '#9c7ad6' },
  { id: 'deploy', label: 'Deploy', color: '#5fb38a' },
];
const BAND_COLORS = { elite: '#1a7f4b', high: '#1f6fb2', medium: '#b7791f', low: '#c0392b' };

// Static pages are screenshotted and compared: draw each chart once, without animation.
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = '#5d6b7c';

const root = document.querySelector('[data-testid="dashboard"]');
const select = document.querySelector('[data-testid="team-select"]');
const charts = new Map();

/** Creates an element with attributes and children (strings become text: data never becomes markup). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

async function getJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${url}: HTTP ${response.status}`);
  return body;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The line under a DORA value: the counts behind it. */
function doraDetail(id, result) {
  switch (id) {
    case 'deployment_frequency':
      return `${plural(result.count, 'deploy')} to production · ${result.deployDaysPerWeek.toFixed(1)} days/week`;
    case 'change_failure_rate':
      return `${result.failed} of ${plural(result.total, 'deployment')} caused an incident`;
    case 'lead_time_for_changes':
      return result.count > 0 ? `p90 ${formatHours(result.p90)} · ${plural(result.count, 'PR')}` : 'no PR deployed';
    default:
      return result.count > 0 ? `p90 ${formatHours(result.p90)} · ${plural(result.count, 'incident')}` : 'no incident resolved';
  }
}

/** Creates the chart on `canvas` the first time, then replaces its data (so a team switch redraws in place). */
function draw(canvas, config) {
  const existing = charts.get(canvas);
  if (existing) {
    existing.data = config.data;
    existing.update();
    return existing;
  }
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

function axisFormatter(unit) {
  if (unit === 'ratio') return (value) => `${Math.round(value * 100)} %`;
  if (unit === 'hours') return (value) => `${value} h`;
  return (value) => value;
}

function trendConfig(series, unit, color) {
  return {
    type: 'line',
    data: {
      labels: series.map((point) => weekLabel(point.from)),
      datasets: [
        {
          label: unit,
          data: series.map((point) => point.value),
          borderColor: color,
          backgroundColor: `${color}22`,
          fill: true,
          cubicInterpolationMode: 'monotone',
          // A week without anything to measure is a gap, not a zero: keep it visible.
          pointRadius: 3,
          spanGaps: false,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => formatValue(item.raw, unit) } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { maxTicksLimit: 6, font: { size: 10 } } },
        y: { beginAtZero: true, ticks: { maxTicksLimit: 4, font: { size: 10 }, callback: axisFormatter(unit) } },
      },
    },
  };
}

function renderDora(data) {
  const container = document.querySelector('[data-testid="dora-tiles"]');
  const titles = new Map(data.catalogue.map((metric) => [metric.id, metric.title]));
  if (container.childElementCount === 0) {
    for (const id of DORA) {
      container.append(
        el(
          'div',
          { class: 'tile', 'data-testid': `dora-tile-${id}` },
          el('h3', {}, titles.get(id) ?? id),
          el(
            'div',
            {},
            el('span', { class: 'value', 'data-testid': `dora-value-${id}` }),
            el('span', { 'data-testid': `dora-band-${id}` }),
          ),
          el('div', { class: 'detail', 'data-testid': `dora-detail-${id}` }),
          el('div', { class: 'chart' }, el('canvas', { 'data-testid': `chart-${id}`, 'aria-label': `${titles.get(id) ?? id}, weekly` })),
        ),
      );
    }
  }
  for (const id of DORA) {
    const result = data.metrics[id];
    const value = container.querySelector(`[data-testid="dora-value-${id}"]`);
    value.textContent = formatValue(result.value, result.unit);
    value.dataset.value = String(result.value);
    const band = container.querySelector(`[data-testid="dora-band-${id}"]`);
    band.textContent = result.band ?? 'no data';
    band.className = `band band-${result.band ?? 'none'}`;
    container.querySelector(`[data-testid="dora-detail-${id}"]`).textContent = doraDetail(id, result);
    const trend = data.trends[id];
    draw(
      container.querySelector(`[data-testid="chart-${id}"]`),
      trendConfig(trend.series, trend.unit, BAND_COLORS[result.band] ?? '#5d6b7c'),
    );
  }
  document.querySelector('[data-testid="dora-caption"]').textContent =
    `· ${data.window.from.slice(0, 10)} to ${data.window.to.slice(0, 10)}, bands: DORA ${data.metrics.deployment_frequency.benchmarks} benchmarks · trends: ${data.trendWindow.from.slice(0, 10)} onwards, weekly`;
}

function stat(label, text, testid) {
  return el('div', { class: 'stat' }, el('span', { class: 'label' }, label), el('span', { class: 'number', 'data-testid': testid }, text));
}

function renderCycleTime(data) {
  const cycle = data.metrics.pr_cycle_time;
  document
    .querySelector('[data-testid="cycle-summary"]')
    .replaceChildren(
      stat(`Median, ${plural(cycle.count, 'PR')} merged`, formatValue(cycle.value, cycle.unit), 'cycle-p50'),
      ...PHASES.map((phase) => stat(phase.label, formatValue(cycle.breakdown?.[phase.id]?.p50 ?? null, 'hours'), `cycle-${phase.id}`)),
    );
  const series = data.trends.pr_cycle_time.series;
  draw(document.querySelector('[data-testid="chart-cycle-time"]'), {
    type: 'bar',
    data: {
      labels: series.map((point) => weekLabel(point.from)),
      datasets: PHASES.map((phase) => ({
        label: phase.label,
        data: series.map((point) => point.breakdown?.[phase.id]?.p50 ?? null),
        backgroundColor: phase.color,
        stack: 'cycle',
      })),
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatValue(item.raw, 'hours')}` } },
      },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { font: { size: 10 } } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'hours' }, ticks: { font: { size: 10 } } },
      },
    },
  });
}

function renderWip(data) {
  const wip = data.metrics.wip;
  const aging = data.metrics.aging_wip;
  document
    .querySelector('[data-testid="wip-summary"]')
    .replaceChildren(
      stat('In progress now', formatValue(wip.value, wip.unit), 'wip-value'),
      stat('Pull requests · issues', `${wip.pullRequests ?? 0} · ${wip.issues ?? 0}`, 'wip-split'),
      stat('Age p50', formatValue(aging.value, aging.unit), 'aging-p50'),
      stat('Age p90', formatValue(aging.p90 ?? null, 'hours'), 'aging-p90'),
    );
  const wipSeries = data.trends.wip.series;
  const agingSeries = data.trends.aging_wip.series;
  draw(document.querySelector('[data-testid="chart-wip"]'), {
    type: 'bar',
    data: {
      labels: wipSeries.map((point) => weekLabel(point.from)),
      datasets: [
        { type: 'bar', label: 'WIP at week end', data: wipSeries.map((point) => point.value), backgroundColor: '#7aa6d6', yAxisID: 'y' },
        {
          type: 'line',
          label: 'Aging WIP p50 (h)',
          data: agingSeries.map((point) => point.value),
          borderColor: '#c0392b',
          backgroundColor: '#c0392b',
          pointRadius: 2,
          cubicInterpolationMode: 'monotone',
          spanGaps: true,
          yAxisID: 'y1',
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } } },
      scales: {
        x: { grid: { display: false }, ticks: { font: { size: 10 } } },
        y: { beginAtZero: true, title: { display: true, text: 'items' }, ticks: { precision: 0, font: { size: 10 } } },
        y1: {
          beginAtZero: true,
          position: 'right',
          grid: { display: false },
          title: { display: true, text: 'hours' },
          ticks: { font: { size: 10 } },
        },
      },
    },
  });
  document
    .querySelector('[data-testid="oldest"] tbody')
    .replaceChildren(
      ...(aging.oldest ?? []).map((item) =>
        el(
          'tr',
          { 'data-testid': 'oldest-row' },
          el('td', {}, item.key),
          el('td', {}, item.kind),
          el('td', { class: 'num' }, formatHours(item.ageHours)),
        ),
      ),
    );
}

function renderSignals(data) {
  document.querySelector('[data-testid="signals-count"]').textContent = `(${data.signals.length})`;
  const rows = data.signals.map((signal) =>
    el(
      'tr',
      { 'data-testid': 'signal-row', 'data-fingerprint': signal.fingerprint },
      el('td', {}, el('span', { class: `severity severity-${signal.severity}` }, signal.severity)),
      el('td', {}, signal.title),
      el('td', { class: 'muted' }, signal.kind),
    ),
  );
  document
    .querySelector('[data-testid="signals"] tbody')
    .replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No open signals.'))]));
}

function renderApprovals(data) {
  document.querySelector('[data-testid="approvals-count"]').textContent = `(${data.approvals.length})`;
  const items = data.approvals.map((approval) =>
    el(
      'li',
      { 'data-testid': 'approval-row', 'data-approval-id': approval.id },
      el('strong', {}, `${approval.type} on ${approval.target}`),
      el('span', { class: 'muted' }, ` · ${approval.risk} risk, ${approval.mode}${approval.team ? ` · team ${approval.team}` : ''}`),
      el('div', { class: 'reason' }, approval.reason),
      el(
        'div',
        { class: 'muted small' },
        `${approval.id} · proposed by ${approval.requestedBy} · ${approval.createdAt.slice(0, 16).replace('T', ' ')} UTC${approval.expiresAt ? ` · expires ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`,
      ),
    ),
  );
  document
    .querySelector('[data-testid="approvals"]')
    .replaceChildren(...(items.length > 0 ? items : [el('li', { class: 'muted' }, 'Nothing waits for a person.')]));
}

function setText(testid, text) {
  document.querySelector(`[data-testid="${testid}"]`).textContent = text;
}

/** The AI panel: `ts.aiImpact` for the team over the tiles' window (GET /api/ai). */
function renderAi(ai) {
  setText('ai-caption', `· ${ai.from.slice(0, 10)} to ${ai.to.slice(0, 10)}, merged pull requests`);
  document.querySelector('[data-testid="ai-empty"]').hidden = ai.assisted.n > 0;
  setText('ai-assisted-n', String(ai.assisted.n));
  setText('ai-other-n', String(ai.other.n));
  setText('ai-assisted-cycle', formatValue(ai.assisted.cycleTimeHoursP50, 'hours'));
  setText('ai-other-cycle', formatValue(ai.other.cycleTimeHoursP50, 'hours'));
  setText('ai-cycle-difference', formatDifference(ai.comparison.cycleTimeHours.difference));
  setText('ai-cycle-interval', formatInterval(ai.comparison.cycleTimeHours.interval));
  setText('ai-assisted-review', formatValue(ai.assisted.timeToFirstReviewHoursP50, 'hours'));
  setText('ai-other-review', formatValue(ai.other.timeToFirstReviewHoursP50, 'hours'));
  setText('ai-review-difference', formatDifference(ai.comparison.timeToFirstReviewHours.difference));
  setText('ai-review-interval', formatInterval(ai.comparison.timeToFirstReviewHours.interval));
  setText('ai-verdict', ai.verdict);
  draw(document.querySelector('[data-testid="chart-ai-adoption"]'), {
    type: 'bar',
    data: {
      labels: ai.weekly.map((week) => weekLabel(week.from)),
      datasets: [
        {
          label: 'AI-assisted share',
          data: ai.weekly.map((week) => week.share),
          backgroundColor: '#9c7ad6',
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const week = ai.weekly[item.dataIndex];
              return `${formatShare(week.share)}: ${week.assisted} of ${plural(week.merged, 'merged PR')}`;
            },
          },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { font: { size: 10 } } },
        y: { beginAtZero: true, max: 1, ticks: { maxTicksLimit: 5, font: { size: 10 }, callback: axisFormatter('ratio') } },
      },
    },
  });
}

let latest = 0;

async function show(team) {
  const request = ++latest;
  root.dataset.state = 'loading';
  const [data, ai] = await Promise.all([
    getJson(`/api/dashboard?team=${encodeURIComponent(team)}`),
    getJson(`/api/ai?team=${encodeURIComponent(team)}`),
  ]);
  // A quicker answer for a team picked later wins; an older one arriving after it is dropped.
  if (request !== latest) return;
  document.querySelector('[data-testid="window"]').textContent =
    `${data.team.name}: ${plural(data.team.members, 'person', 'people')}, ${data.team.repositories.join(', ')} · as of ${data.at.slice(0, 16).replace('T', ' ')} UTC`;
  renderDora(data);
  renderCycleTime(data);
  renderWip(data);
  renderSignals(data);
  renderApprovals(data);
  renderAi(ai);
  root.dataset.team = data.team.id;
  root.dataset.state = 'ready';
}

function showError(error) {
  const box = document.querySelector('[data-testid="error"]');
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
  root.dataset.state = 'error';
}

async function start() {
  const { teams } = await getJson('/api/teams');
  select.replaceChildren(...teams.map((team) => el('option', { value: team.id }, team.name)));
  const wanted = new URLSearchParams(location.search).get('team');
  if (teams.some((team) => team.id === wanted)) select.value = wanted;
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?team=${encodeURIComponent(select.value)}`);
    show(select.value).catch(showError);
  });
  await show(select.value);
}

start().catch(showError);
