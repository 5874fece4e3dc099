/**
 * The Timeline page's words, all in one place (toolbar, header and verdict, scheduler bar,
 * transcript, narration pane, legend, gutter, hover descriptions, status line), so that a
 * translation has one module to change. Sentences with numbers or names are functions here; the
 * page's modules pass them the values (already formatted: durations, counts), never words. Data
 * shown on the page (run labels, output lines, process names, the narration's sentences) never
 * comes from here. test/unit/webviewStrings.test.ts fails if a page module sets text from a literal.
 */

/** "1 line" / "2 lines": the English plural of a counted noun (a translation replaces the function). */
const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);
const count = (n: number): string => n.toLocaleString('en-US');

export const STRINGS = {
  toolbar: 'Timeline controls',
  runPicker: 'Run to show',
  comparePicker: 'Run to compare with (stacked on the same time scale)',
  run: 'Run',
  compare: 'Compare',
  align: 'Align',
  alignPicker: 'Align compared runs on their first event or on their start',
  alignTitle: 'Compare mode: line the runs up on their first event (default), or on each run\u2019s own start',
  alignFirst: 'first event',
  alignStart: 'run start',
  zoomIn: 'Zoom in (+)',
  zoomOut: 'Zoom out (−)',
  fit: 'Fit the whole run (0)',
  follow: 'Follow the newest time (End)',
  clearSelection: 'Clear the selection (Escape)',
  saveImage: 'Save Timeline Image… (a PNG for slides)',
  scheduler: 'Be the scheduler: grant the print lock',
  legend: 'Legend',
  plot: 'Timeline plot. Plus and minus zoom, left and right arrows pan, Home goes to the start, End follows the newest time, 0 fits the run, Escape clears the selection, click or drag the time axis to place the playhead, period and comma step to the next and previous event, P plays, A switches real time and event order, G goes to the Grant buttons when you are the scheduler.',
  legendItems: {
    lockwait: 'waiting for the lock',
    print: 'print (lock held)',
    printLockOff: 'print (a piece of a line, lock off)',
    nap: 'nap',
    getwait: 'blocked in get',
    putblocked: 'put blocked',
    put: 'put',
    get: 'get',
    arrow: 'put → get',
    depth: 'queue depth',
    holder: 'lock holder: its process\'s colour (strip beside the name)',
    overlap: 'lines overlapping (lock off: a process wrote while another was mid-line)',
  },

  // Learn: the axis mode, Explain and the playhead's controls.
  axis: 'Axis',
  axisPicker: 'Axis: real time, or every event the same width in the order it happened',
  axisTitle: 'Real time, or event order: every event the same width, idle stretches collapsed to a marked gap (A)',
  axisTime: 'real time',
  axisOrder: 'event order',
  explain: 'Explain',
  explainTitle: 'Explain This Run: what happened, sentence by sentence; click one to select its span',
  stepBack: 'Previous event (,)',
  play: 'Play / pause from the playhead (P); reduced motion: step instead',
  stepForward: 'Next event (.)',
  speedPicker: 'Play speed, a fraction of real time',
  speedTitle: 'Play speed: a fraction of real time',
  stepper: 'Step through time',
  speeds: { hundredth: '1/100×', fiftieth: '1/50×', tenth: '1/10×', quarter: '1/4×', half: '1/2×', realTime: '1× real time' },
  speedFactor: (speed: number) => `${speed}×`,

  // Run pickers and the header.
  running: (label: string) => `${label} (running)`,
  failed: (label: string) => `${label} (failed)`,
  noLongerKept: (label: string) => `${label} (no longer kept)`,
  noRuns: 'no runs yet',
  compareNone: 'none',
  dropped: (keep: number, dropped: number) => `Keeping the last ${keep} runs: ${dropped} older run${dropped === 1 ? ' was' : 's were'} dropped.`,
  empty: 'No run to show yet. Run “Shout/Hear: Run Shout/Hear” from the Command Palette: it appears here live.',
  pageTitle: 'Shout/Hear Timeline',
  /** A compared run's verdict or overlap line starts with its label. */
  whose: (label: string) => `${label}: `,
  comparedWith: (header: string, align: 'first' | 'start') => ` — compared with ${header}, aligned on ${align === 'first' ? 'each run\u2019s first event' : 'each run\u2019s start'}`,
  overlap: (overlapping: number, lines: number) =>
    `lock off — ${count(overlapping)} of ${count(lines)} ${plural(lines, 'line')} written while another process was mid-line${overlapping > 0 ? ' (marked in the warning colour)' : ''}.`,

  // A run's header and verdict (describe.ts).
  config: {
    messages: (n: number) => `${count(n)} ${plural(n, 'message')}`,
    nap: (percent: number, ms: number) => `nap ${percent}% × ${ms} ms`,
    lock: (on: boolean) => `lock ${on ? 'on' : 'off'}`,
    lockPolicy: (policy: string) => `lock policy ${policy}`,
    roles: (shouters: number, hearers: number) => `${shouters} ${plural(shouters, 'shouter')} × ${hearers} ${plural(hearers, 'hearer')}`,
    queueCapacity: (n: number) => `queue capacity ${count(n)}`,
    pythonEngine: 'Python engine',
  },
  verdict: {
    running: 'running…',
    none: 'no verdict',
    stopped: 'stopped',
    timedOut: 'timed out',
    ok: 'ok',
    failed: 'failed',
    endedIn: (how: string, duration: string) => `${how} in ${duration}`,
    counts: (naps: number, lockWaits: number, maxDepth: number) => `${naps} ${plural(naps, 'nap')}, ${lockWaits} ${plural(lockWaits, 'lock wait')}, max queue depth ${maxDepth}`,
  },
  tracedHeader: (label: string, processes: number) => `${label} · your own program, traced · ${processes} processes`,
  lessonHeader: (label: string, seed: number | string, config: string) => `${label} · seed ${seed} · ${config}`,

  // Hover and status descriptions of an event (describe.ts).
  kinds: {
    start: 'started',
    exit: 'exited',
    lockWait: 'waiting for the print lock',
    print: 'print (holding the lock)',
    put: 'put',
    putBlocked: 'put blocked (queue full)',
    get: 'get',
    getWait: 'blocked in get (queue empty)',
    nap: 'nap',
    grant: 'lock granted',
    revoke: 'lock hand-over asked',
  },
  unknownKind: (kind: number) => `event ${kind}`,
  printed: (quoted: string) => `printed ${quoted}`,
  line: (n: number, text: string) => `line ${n}: ${text}`,
  message: (v: number) => `message ${v}`,
  itemOf: (v: number, owner: string) => `item ${v} of ${owner}`,
  item: (text: string) => `item ${text}`,
  sentinel: 'message: the "done" sentinel',
  at: (time: string) => `at ${time}`,
  lasted: (duration: string) => ` · lasted ${duration}`,
  gotBy: (name: string, after: string) => `got by ${name} ${after} later`,
  notGot: 'not got yet',
  latency: (duration: string) => `put→get latency ${duration}`,

  // Span labels drawn on the lanes, process names, gutter tracks.
  roleLine: (shouter: boolean, value: number) => `${shouter ? 'Shout' : 'Hear'}: ${value}`,
  spans: { nap: 'nap', lockWait: 'lock wait', getWait: 'get wait', putBlocked: 'put blocked' },
  process: (proc: number) => `process ${proc}`,
  mainProcess: 'main process',
  host: 'host',
  lockTrack: 'lock holder',
  depthTrack: 'queue depth',
  depthMax: (scale: number) => `max ${scale}`,
  queueMax: (scale: number) => `queue · max ${scale}`,
  queueDepthAt: (depth: number) => `queue depth ${depth}`,
  printLockHeld: (name: string) => `print lock held by ${name} (printing)`,
  fromFor: (from: string, duration: string) => `from ${from} for ${duration}`,
  lockOffNobody: 'lock off: nobody holds it',
  printLockFree: 'print lock free',
  queueObject: (label: string, depth: number) => `queue ${label}: depth ${depth}`,
  queueCounts: (puts: number, gets: number) => `${puts} puts, ${gets} gets`,
  lockHeldBy: (label: string, name: string) => `lock ${label} held by ${name}`,
  lockFree: (label: string) => `lock ${label}: free`,

  // Learn: states at the playhead, the event-order axis.
  states: {
    notStarted: 'not started', running: 'running', lockWait: 'waits for the lock', printing: 'printing', napping: 'napping',
    getWait: 'waits on get', putBlocked: 'put blocked', exited: 'exited',
  } as Record<string, string>,
  queueItems: (items: string) => `queue: ${items}`,
  queueEmpty: 'queue empty',
  eventOrderAxis: 'event order ⟶',
  idle: (duration: string) => `${duration} idle`,
  gap: (label: string, duration: string) => [`${label}: nothing happened for ${duration}`, 'collapsed to one gap in the event-order axis'],
  axisOrderStatus: 'Event order: every event the same width, in the order it happened; idle stretches are collapsed to a marked gap that says how long they were.',
  axisTimeStatus: 'Real time: widths are durations.',

  // Status line.
  atPlayhead: (time: string, states: string, queue: string, printed: number) =>
    `At ${time}: ${states}; queue ${queue || 'empty'}; ${printed} ${plural(printed, 'line')} printed.`,
  reducedMotion: 'Reduced motion is on: no animation. Step with the buttons, or . and , on the plot.',
  playing: (speed: string) => `Playing at ${speed}.`,
  nobodyWaits: 'Nobody waits for the free lock (Grant needs lock policy "manual").',
  plotFocus: (label: string, events: number, lanes: number, duration: string) => `Timeline of ${label}: ${count(events)} events in ${lanes} lanes, ${duration} long.`,
  noRunShown: 'No run shown.',
  selectionCleared: 'Selection cleared.',
  selected: (details: string) => `Selected ${details}`,
  lineNoEvent: (n: number) => `Line ${n} has no event in the trace.`,
  lineEvent: (n: number, details: string) => `Line ${n}: ${details}`,
  aligned: (align: 'first' | 'start') => `Compared runs are aligned on ${align === 'first' ? 'their first events' : 'their starts'}.`,
  span: (from: string, to: string, text: string) => `${from}–${to}: ${text}`,

  // The scheduler bar ("manual" lock policy).
  schedTurn: 'turn to write a piece of a line',
  schedLock: 'print lock',
  schedHeld: (what: string, holder: string, waiting: string) => `You are the scheduler. The ${what} is held by ${holder}${waiting ? `; waiting: ${waiting}` : ''}.`,
  schedFree: (what: string, waiting: string) => `You are the scheduler. The ${what} is free; waiting for it: ${waiting}. Grant it to:`,
  schedNobody: (what: string) => `You are the scheduler. The ${what} is free; nobody waits for it yet.`,
  grantTitle: (name: string) => `Grant the print lock to ${name}`,
  grant: (name: string) => `Grant ${name}`,
  waitingLane: (label: string) => `${label}: waiting for the print lock`,

  // The transcript (output lines) and the narration pane.
  transcript: 'Output lines of the run',
  transcriptList: 'Output lines: arrow keys move, Enter selects the line\'s events',
  output: 'Output',
  outputTitle: (lines: number, note: string) => `Output · ${count(lines)} ${plural(lines, 'line')}${note ? ` · ${note}` : ''}`,
  printedByPlayhead: (total: number) => `printed by the playhead, of ${count(total)}`,
  moreNotShown: (n: number) => `${count(n)} more not shown`,
  narration: 'What happened in this run, sentence by sentence',
  whatHappened: 'What happened',
  whatHappenedTitle: (note: string) => `What happened${note ? ` · ${note}` : ''}`,
  soFar: (duration: string) => `so far (${duration})`,
  noRun: 'no run',
  sentenceTitle: (fromMs: string, toMs: string, phenomena: string) => `${fromMs}–${toMs} ms · ${phenomena}: click to select this span`,
} as const;
