/**
 * The Explore webview: the latest batch (histogram of distinct orderings, the most common one,
 * every ordering with its runs' timelines one click away) and the latest sweep (uPlot charts
 * of mean and spread per nap probability, a table, CSV export), as two tabs. No `vscode`
 * import: it talks only through postMessage. Every string shown goes in as text.
 */
import type uPlot from 'uplot';
import type { ExploreBatchView, ExploreRendered, ExploreStats, ExploreSweepView, ExploreTab, ExploreToHost, HostToExplore } from '../../protocol/explore';
import type { ImageMessage, ImageRequest } from '../../shared/pageImage';
import { el, iconButton } from '../shared/dom';
import { STRINGS as S } from './strings';
import { answerSnapshot } from '../shared/snapshot';
import { onThemeChange } from '../shared/theme';
import { connectToHost } from '../shared/vscodeApi';
import { histogram, readChartPalette, sweepChart, SWEEP_METRICS } from './charts';

const link = connectToHost<ExploreToHost | ImageMessage>();
const post = (m: ExploreToHost | ImageMessage) => link.post(m);
/** Rows of the orderings table drawn at most (the rest are counted). */
const MAX_ROWS = 200;

// ---------------------------------------------------------------- state
let tab: ExploreTab = 'batch';
let batch: ExploreBatchView | null = null;
let sweep: ExploreSweepView | null = null;
let kept = new Set<string>();
/** How many runs the host keeps: from its 'state' message (the page draws nothing before it). */
let keep = 0;
let hist: uPlot | undefined;
let charts: uPlot[] = [];
/** Charts are drawn when their tab is shown (a hidden tab has no width); these say what is stale. */
let batchStale = true;
let sweepStale = true;

// ---------------------------------------------------------------- DOM
const app = el('div', 'app');
const toolbar = el('div', 'toolbar');
const tablist = el('div', 'tabs');
tablist.setAttribute('role', 'tablist');
tablist.setAttribute('aria-label', S.views);
const tabButtons: Record<ExploreTab, HTMLButtonElement> = { batch: tabButton('batch', S.batch), sweep: tabButton('sweep', S.sweep) };
tablist.append(tabButtons.batch, tabButtons.sweep);
const exportBtn = el('button', 'button', S.exportCsv);
exportBtn.type = 'button';
exportBtn.setAttribute('aria-label', S.exportCsvLabel);
exportBtn.addEventListener('click', () => post({ type: 'exportCsv' }));
const imageBtn = iconButton('device-camera', S.saveImage, () => post({ type: 'saveImage' }));
toolbar.append(tablist, el('span', 'spacer'), exportBtn, imageBtn);

const batchPanel = el('section', 'tabpanel');
const sweepPanel = el('section', 'tabpanel');
for (const [name, panel] of [['batch', batchPanel], ['sweep', sweepPanel]] as const) {
  panel.id = `panel-${name}`;
  panel.setAttribute('role', 'tabpanel');
  panel.setAttribute('aria-labelledby', `tab-${name}`);
  panel.tabIndex = 0;
}
app.append(toolbar, batchPanel, sweepPanel);
document.body.append(app);

function tabButton(name: ExploreTab, label: string): HTMLButtonElement {
  const b = el('button', 'tab', label);
  b.type = 'button';
  b.id = `tab-${name}`;
  b.setAttribute('role', 'tab');
  b.setAttribute('aria-controls', `panel-${name}`);
  b.addEventListener('click', () => selectTab(name, true));
  b.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next: ExploreTab = name === 'batch' ? 'sweep' : 'batch';
      selectTab(next, true);
      tabButtons[next].focus();
    }
  });
  return b;
}

function selectTab(name: ExploreTab, tell: boolean): void {
  tab = name;
  for (const t of ['batch', 'sweep'] as const) {
    const on = t === name;
    tabButtons[t].setAttribute('aria-selected', String(on));
    tabButtons[t].tabIndex = on ? 0 : -1;
    (t === 'batch' ? batchPanel : sweepPanel).hidden = !on;
  }
  exportBtn.hidden = name !== 'sweep';
  exportBtn.disabled = !sweep || sweep.running || sweep.groups.length === 0;
  if (tell) { post({ type: 'tab', tab: name }); }
  drawCharts();
  report(0);
}

// ---------------------------------------------------------------- helpers
const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—');
const num = (v: number, digits = 2) => (!Number.isFinite(v) ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits));
const statText = (s: ExploreStats) => (s.n === 0 ? '—' : `${num(s.mean)} (${num(s.min)}–${num(s.max)})`);

function heading(level: 'h2' | 'h3', text: string): HTMLElement { return el(level, 'heading', text); }

function chartWidth(container: HTMLElement): number {
  return Math.max(260, Math.floor(container.clientWidth || app.clientWidth - 40));
}

function empty(panel: HTMLElement, text: string): void {
  panel.replaceChildren(el('p', 'empty', text));
}

// ---------------------------------------------------------------- batch
let histHost: HTMLElement | undefined;
let observedEl: HTMLElement | undefined;
let topList: HTMLOListElement | undefined;
let tableBody: HTMLTableSectionElement | undefined;
const rowEls: HTMLTableRowElement[] = [];

function renderBatch(): void {
  hist?.destroy();
  hist = undefined;
  histHost = observedEl = topList = tableBody = undefined;
  rowEls.length = 0;
  if (!batch) { empty(batchPanel, S.noBatch); return; }
  const b = batch;
  const status = b.running ? `${b.runs} of ${b.requested} runs done — running…` : `${b.runs} of ${b.requested} runs`;
  const head = el('div', 'head');
  head.append(heading('h2', S.runBatch), el('p', 'status', status));
  if (b.interruption) { head.append(el('p', 'notice', `The batch ended early: ${b.interruption}.`)); }
  if (b.notOk > 0) { head.append(el('p', 'notice', `${b.notOk} run${b.notOk === 1 ? '' : 's'} did not end ok (see the output channel); their lines are counted as printed.`)); }
  head.append(el('p', 'settings', b.settings));
  observedEl = el('p', 'observed', b.observed);
  observedEl.setAttribute('role', 'status');
  head.append(observedEl);
  batchPanel.replaceChildren(head);
  if (b.orderings.length === 0) { batchPanel.append(el('p', 'empty', b.running ? S.waitingFirst : S.noRunEnded)); return; }

  histHost = el('div', 'chart');
  histHost.setAttribute('role', 'img');
  histHost.setAttribute('aria-label', `Histogram of ${b.distinct} distinct orderings: ${b.orderings.slice(0, 20).map((o, i) => `#${i + 1} ${o.count} run${o.count === 1 ? '' : 's'}`).join(', ')}${b.distinct > 20 ? ', …' : ''}.`);
  batchPanel.append(histHost);

  const top = b.orderings[0];
  batchPanel.append(heading('h3', `Most common ordering — #1, printed by ${top.count} of ${b.runs} runs (${pct(top.count, b.runs)})`));
  topList = el('ol', 'lines');
  topList.setAttribute('aria-label', S.topLines);
  for (const line of top.lines) { topList.append(el('li', '', line)); }
  batchPanel.append(topList);
  if (top.truncated > 0) { batchPanel.append(el('p', 'muted', `… and ${top.truncated} more lines.`)); }

  batchPanel.append(heading('h3', S.everyOrdering));
  batchPanel.append(el('p', 'muted',
    `Open any run's timeline. Only the last ${keep} runs of this window are kept in memory; runs before them are listed as "no longer kept" and their timelines are gone.`));
  const table = el('table', 'orderings');
  const caption = el('caption', 'visually-hidden', S.orderingsCaption);
  const thead = el('thead');
  const hr = el('tr');
  for (const h of S.orderingColumns) { const th = el('th', '', h); th.scope = 'col'; hr.append(th); }
  thead.append(hr);
  tableBody = el('tbody');
  b.orderings.slice(0, MAX_ROWS).forEach((o, i) => {
    const tr = el('tr');
    tr.tabIndex = -1;
    tr.append(el('td', 'num', `#${i + 1}`), el('td', 'num', String(o.count)), el('td', 'num', pct(o.count, b.runs)));
    const td = el('td', 'ordering');
    const details = el('details');
    const summary = el('summary', 'mono', o.short);
    summary.setAttribute('aria-label', `Ordering #${i + 1}: ${o.short}. Expand for its lines.`);
    details.append(summary);
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) {
        const ol = el('ol', 'lines');
        for (const line of o.lines) { ol.append(el('li', '', line)); }
        details.append(ol);
        if (o.truncated > 0) { details.append(el('p', 'muted', `… and ${o.truncated} more lines.`)); }
      }
    });
    td.append(details);
    tr.append(td, openCell(o.runIds, i));
    tableBody!.append(tr);
    rowEls.push(tr);
  });
  table.append(caption, thead, tableBody);
  batchPanel.append(table);
  if (b.orderings.length > MAX_ROWS) { batchPanel.append(el('p', 'muted', `… and ${b.orderings.length - MAX_ROWS} more orderings (each seen once or a few times).`)); }
}

/** A run picker and an Open button; runs no longer kept are listed but cannot be opened. */
function openCell(runIds: readonly string[], i: number): HTMLTableCellElement {
  const td = el('td', 'open');
  const select = el('select', 'picker');
  select.setAttribute('aria-label', `Run of ordering #${i + 1} whose timeline to open`);
  for (const id of runIds) {
    const opt = el('option', '', kept.has(id) ? id : `${id} — no longer kept`);
    opt.value = id;
    opt.disabled = !kept.has(id);
    select.append(opt);
  }
  const firstKept = runIds.find((id) => kept.has(id));
  if (firstKept) { select.value = firstKept; }
  const button = el('button', 'button secondary', firstKept ? S.openTimeline : S.timelineGone);
  button.type = 'button';
  button.disabled = !firstKept;
  button.dataset.open = '1';
  button.setAttribute('aria-label', firstKept ? `Open the timeline of the chosen run of ordering #${i + 1}` : `The runs of ordering #${i + 1} are no longer kept: their timelines are gone`);
  button.addEventListener('click', () => { if (select.value) { post({ type: 'openRun', runId: select.value }); } });
  td.append(select, button);
  return td;
}

function drawHistogram(): void {
  if (!batch || !histHost || batch.orderings.length === 0) { return; }
  hist?.destroy();
  hist = histogram(histHost, batch.orderings.map((o) => o.count), chartWidth(histHost), readChartPalette());
  const h = hist;
  // Clicking a bar brings its row into view.
  h.over.addEventListener('click', () => {
    const idx = h.cursor.idx;
    const row = idx == null ? undefined : rowEls[idx];
    if (row) { row.scrollIntoView({ block: 'center' }); row.focus(); }
  });
}

// ---------------------------------------------------------------- sweep
let sweepChartsHost: HTMLElement | undefined;
let sweepTableRows = 0;

function renderSweep(): void {
  for (const c of charts) { c.destroy(); }
  charts = [];
  sweepChartsHost = undefined;
  sweepTableRows = 0;
  exportBtn.disabled = !sweep || sweep.running || sweep.groups.length === 0;
  if (!sweep) { empty(sweepPanel, S.noSweep); return; }
  const s = sweep;
  const total = s.probabilities.length * s.runsEach;
  const head = el('div', 'head');
  head.append(
    heading('h2', S.sweepTitle),
    el('p', 'status', `${s.runs} of ${total} runs (${s.probabilities.length} probabilities × ${s.runsEach}, interleaved round by round)${s.running ? ' — running…' : ''}`),
  );
  if (s.interruption) { head.append(el('p', 'notice', `The sweep ended early: ${s.interruption}.`)); }
  head.append(el('p', 'settings', s.settings));
  head.append(el('p', 'muted', S.chartHelp));
  sweepPanel.replaceChildren(head);
  if (s.groups.length === 0) { sweepPanel.append(el('p', 'empty', S.waitingFirst)); return; }
  sweepChartsHost = el('div', 'charts');
  sweepPanel.append(sweepChartsHost);

  const table = el('table', 'stats');
  table.append(el('caption', '', S.sweepCaption));
  const thead = el('thead');
  const hr = el('tr');
  for (const h of S.sweepColumns) {
    const th = el('th', '', h); th.scope = 'col'; hr.append(th);
  }
  thead.append(hr);
  const tbody = el('tbody');
  for (const g of s.groups) {
    const tr = el('tr');
    const th = el('th', 'num', String(g.napProbability));
    th.scope = 'row';
    tr.append(th, el('td', 'num', String(g.runs)), el('td', 'num', statText(g.durationMs)), el('td', 'num', statText(g.lockWaitMs)),
      el('td', 'num', statText(g.maxQueueDepth)), el('td', 'num', statText(g.putGetLatencyMs)), el('td', 'num', String(g.distinctOrderings)));
    tbody.append(tr);
    sweepTableRows++;
  }
  table.append(thead, tbody);
  sweepPanel.append(table);
}

function drawSweepCharts(): void {
  for (const c of charts) { c.destroy(); }
  charts = [];
  if (!sweep || !sweepChartsHost || sweep.groups.length === 0) { return; }
  const palette = readChartPalette();
  sweepChartsHost.replaceChildren();
  for (const metric of SWEEP_METRICS) {
    const card = el('div', 'chart');
    card.setAttribute('role', 'img');
    const values = sweep.groups.map((g) => `${g.napProbability}: ${metric.key === 'distinctOrderings' ? g.distinctOrderings : num(g[metric.key].mean)}`).join(', ');
    card.setAttribute('aria-label', `${metric.title} (${metric.unit}) by nap probability${metric.key === 'distinctOrderings' ? '' : ', mean'}: ${values}.`);
    sweepChartsHost.append(card);
    charts.push(sweepChart(card, metric, sweep.groups, chartWidth(card), palette));
  }
}

// ---------------------------------------------------------------- drawing and reports
function drawCharts(): void {
  if (tab === 'batch' && batchStale) { batchStale = false; drawHistogram(); }
  if (tab === 'sweep' && sweepStale) { sweepStale = false; drawSweepCharts(); }
}

function redrawAll(): void {
  batchStale = sweepStale = true;
  drawCharts();
}

function report(token: number): void {
  const r: ExploreRendered = {
    token,
    tab,
    batch: batch ? {
      runs: batch.runs,
      distinct: batch.distinct,
      bars: hist ? Array.from(hist.data[1] as ArrayLike<number | null>, (v) => v ?? 0) : [],
      observed: observedEl?.textContent ?? '',
      topLines: topList ? Array.from(topList.children, (li) => li.textContent ?? '') : [],
      rows: rowEls.length,
      openable: batchPanel.querySelectorAll('button[data-open]:not([disabled])').length,
    } : null,
    sweep: sweep ? {
      charts: charts.map((c) => ({ title: c.root.querySelector('.u-title')?.textContent ?? '', series: c.series.length - 1, points: c.data[0].length })),
      tableRows: sweepTableRows,
    } : null,
    foreignElements: app.querySelectorAll('img, script, iframe, object, embed, svg, link, style').length,
    pageWidth: document.documentElement.clientWidth,
  };
  post({ type: 'rendered', report: r });
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as HostToExplore | ImageRequest;
  switch (m?.type) {
    case 'snapshot': {
      // The active tab as shown: its text and its uPlot charts (canvases).
      const themeBackground = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e';
      void answerSnapshot(m.token, { parts: [tab === 'batch' ? batchPanel : sweepPanel], background: m.background, themeBackground }, post);
      break;
    }
    case 'state':
      kept = new Set(m.kept);
      keep = m.keep;
      batch = m.batch;
      sweep = m.sweep;
      renderBatch();
      renderSweep();
      batchStale = sweepStale = true;
      selectTab(m.tab, false);
      break;
    case 'kept':
      kept = new Set(m.kept);
      renderBatch();
      batchStale = true;
      drawCharts();
      report(0);
      break;
    case 'report':
      report(m.token);
      break;
    default:
      break;
  }
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (hist && histHost) { hist.setSize({ width: chartWidth(histHost), height: hist.height }); }
    for (const c of charts) { const host = c.root.parentElement; if (host) { c.setSize({ width: chartWidth(host), height: c.height }); } }
  }, 100);
}).observe(app);

onThemeChange(() => { redrawAll(); });

selectTab('batch', false);
post({ type: 'ready' });
