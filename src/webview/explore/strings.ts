/**
 * The Explore page's words, all in one place (tabs, buttons, status and notices, tables, chart
 * titles, axes and legends, aria-labels), so that a translation has one module to change.
 * Sentences with numbers are functions here; main.ts and charts.ts pass them the values, never
 * words. Run data (orderings, lines, the host's settings and observations) never comes from here.
 * test/unit/webviewStrings.test.ts fails if a page module sets text from a literal.
 */

/** "1 run" / "2 runs": the English plural of a counted noun (a translation replaces the function). */
const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

export const STRINGS = {
  views: 'Explore views',
  batch: 'Batch',
  sweep: 'Sweep',
  exportCsv: 'Export CSV…',
  exportCsvLabel: 'Export the sweep statistics as a CSV file',
  saveImage: 'Save Explore Image… (a PNG of this tab, for slides)',
  noBatch: 'No batch yet: run "Shout/Hear: Run Batch…" to run the same settings many times and count the distinct output orderings.',
  runBatch: 'Run Batch',
  waitingFirst: 'Waiting for the first run to end…',
  noRunEnded: 'No run ended.',
  topLines: 'Lines of the most common ordering',
  everyOrdering: 'Every ordering seen',
  orderingsCaption: 'Distinct orderings, most common first, with the runs that printed each',
  openTimeline: 'Open timeline',
  timelineGone: 'Timeline gone',
  noSweep: 'No sweep yet: run "Shout/Hear: Sweep Nap Probabilities…" to chart how the nap probability changes timing, waits and orderings.',
  sweepTitle: 'Sweep Nap Probabilities',
  chartHelp: 'Each chart: the line is the mean over the runs at that probability; the dark band spans p10–p90 and the light band min–max; the dashed line is the median. Hover for values.',
  sweepCaption: 'Per nap probability: mean (min–max) over its runs',
  orderingColumns: ['#', 'Runs', 'Share', 'Ordering (S = Shout, H = Hear)', 'Timeline'],
  sweepColumns: ['Nap probability', 'Runs', 'Duration (ms)', 'Lock wait (ms)', 'Max queue depth', 'Put→get latency (ms)', 'Distinct orderings'],

  // The batch tab's number sentences.
  batchStatus: (runs: number, requested: number, running: boolean) => (running ? `${runs} of ${requested} runs done — running…` : `${runs} of ${requested} runs`),
  batchEndedEarly: (why: string) => `The batch ended early: ${why}.`,
  notOk: (n: number) => `${n} ${plural(n, 'run')} did not end ok (see the output channel); their lines are counted as printed.`,
  histogramLabel: (distinct: number, bars: string, more: boolean) => `Histogram of ${distinct} distinct orderings: ${bars}${more ? ', …' : ''}.`,
  histogramBar: (rank: number, runs: number) => `#${rank} ${runs} ${plural(runs, 'run')}`,
  mostCommon: (count: number, runs: number, share: string) => `Most common ordering — #1, printed by ${count} of ${runs} runs (${share})`,
  moreLines: (n: number) => `… and ${n} more lines.`,
  keptNote: (keep: number) => `Open any run's timeline. Only the last ${keep} runs of this window are kept in memory; runs before them are listed as "no longer kept" and their timelines are gone.`,
  rank: (rank: number) => `#${rank}`,
  orderingLabel: (rank: number, short: string) => `Ordering #${rank}: ${short}. Expand for its lines.`,
  moreOrderings: (n: number) => `… and ${n} more orderings (each seen once or a few times).`,
  runPicker: (rank: number) => `Run of ordering #${rank} whose timeline to open`,
  runNoLongerKept: (id: string) => `${id} — no longer kept`,
  openLabel: (rank: number) => `Open the timeline of the chosen run of ordering #${rank}`,
  goneLabel: (rank: number) => `The runs of ordering #${rank} are no longer kept: their timelines are gone`,

  // The sweep tab's number sentences.
  sweepStatus: (runs: number, total: number, probabilities: number, each: number, running: boolean) =>
    `${runs} of ${total} runs (${probabilities} probabilities × ${each}, interleaved round by round)${running ? ' — running…' : ''}`,
  sweepEndedEarly: (why: string) => `The sweep ended early: ${why}.`,
  chartLabel: (title: string, unit: string, mean: boolean, values: string) => `${title} (${unit}) by nap probability${mean ? ', mean' : ''}: ${values}.`,

  // Chart titles, axes and legends (charts.ts).
  charts: {
    histogramTitle: 'Runs per distinct ordering (most common first)',
    ordering: 'ordering',
    runs: 'runs',
    orderingAxis: 'ordering (#1 = most common)',
    napProbability: 'nap probability',
    distinctOrderings: 'distinct orderings',
    probability: 'p',
    min: 'min', p10: 'p10', p90: 'p90', max: 'max', mean: 'mean', median: 'median',
    title: (title: string, unit: string) => `${title} (${unit})`,
  },
  metrics: {
    durationMs: { title: 'Run duration', unit: 'ms' },
    lockWaitMs: { title: 'Total lock wait per run', unit: 'ms' },
    maxQueueDepth: { title: 'Max queue depth', unit: 'messages' },
    putGetLatencyMs: { title: 'Put→get latency (mean per run)', unit: 'ms' },
    distinctOrderings: { title: 'Distinct orderings', unit: 'orderings' },
  },
} as const;
