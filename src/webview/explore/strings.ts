/**
 * The Explore page's fixed words, in one place, so that a translation has one module to change.
 * Numbers and run data are put into sentences by main.ts; they never come from here.
 */
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
} as const;
