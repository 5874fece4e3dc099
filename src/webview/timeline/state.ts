/**
 * The Timeline page's one state object: what the host sent (runs, run list, lock state), how the
 * user looks at it (viewport, follow mode, alignment, selection, hover) and the page's pending
 * work (timers, the next frame). Every module of the page reads and changes this object, passed
 * as `p.s`; nothing of the page lives in module variables. New features add a field here (for
 * example a playhead time next to `vp`) and the module that owns it.
 */
import type { TimelineRunListItem, TimelineSlot, TimelineToHost } from '../../protocol/timeline';
import type { AxisMode } from '../../protocol/timelineLearn';
import type { HostLink } from '../shared/vscodeApi';
import type { Track } from './layout';
import type { RunData } from './model';
import type { TimelineDom } from './page';
import { readPalette, type Palette } from './palette';
import type { Align, Viewport } from './viewport';

/** 'fit': the whole run; 'tail': the newest time at the right edge; 'off': where the user left it. */
export type Follow = 'fit' | 'tail' | 'off';

/** Selected events of one slot: a story (put, get, the lines they print), one of them primary. */
export interface Selection { slot: number; events: number[]; primary: number }
export interface Hover { slot: number; e: number }

/** The main slot's live run: who holds its print lock, who waits, and whether the user grants it. */
export interface LockView { runId: string; holder: string | null; waiting: string[]; manual: boolean; error?: string }

/** What VS Code keeps for the page across hide/show and window reloads. */
export interface SavedState {
  runId: string | null;
  compareRunId: string | null;
  vp?: Viewport;
  follow?: Follow;
  align?: Align;
  axisMode?: AxisMode;
}

export interface TimelineState {
  // ------------------------------------------------ from the host
  /** By slot: [main, compare]. */
  runs: (RunData | undefined)[];
  runList: TimelineRunListItem[];
  /** Runs the host dropped, and how many it keeps (both from its 'runs' message). */
  dropped: number;
  keep: number;
  /** A message from the host shown in the header (why a run was cleared). */
  notice: string;
  lockView: LockView | undefined;
  // ------------------------------------------------ how the user looks at it
  vp: Viewport;
  follow: Follow;
  align: Align;
  /** The view saved for a run, applied when that run arrives (after a reload). */
  restoreVp: { runId: string; vp: Viewport; follow: Follow } | undefined;
  selection: Selection | undefined;
  hover: Hover | undefined;
  /** A pan by dragging the plot, while the pointer is down ('playhead': dragging the playhead on the axis). */
  drag: { x: number; moved: boolean; id: number; playhead?: boolean } | undefined;
  // ------------------------------------------------ Learn: axis mode, playhead, narration
  axisMode: AxisMode;
  /** The playhead, in ns of the main run's own clock; undefined: none (the whole run shown). */
  playhead: number | undefined;
  /**
   * Play: real-time speed factor (0.01 to 1) and, while playing, the last frame's time; when the
   * host was last told the playhead's time, and the timer of the next telling.
   */
  play: { speed: number; playing: boolean; last: number; frame: number; posted: number; postTimer: number | undefined };
  /** The narration pane, and the sentence picked (its span is drawn as a band). */
  narration: { open: boolean; selected: number | undefined; span: { fromNs: number; toNs: number } | undefined };
  // ------------------------------------------------ what is drawn
  tracks: Track[];
  palette: Palette;
  /** The plot's size in CSS pixels. */
  cssW: number;
  cssH: number;
  /** Milliseconds per draw, the last 600 (read by the benchmark through the test hooks). */
  frameTimes: number[];
  // ------------------------------------------------ work pending (timer ids, the next frame)
  pending: {
    frame: number;
    save: number | undefined;
    transcript: number | undefined;
    transcriptDirty: boolean;
    overlap: number | undefined;
    report: number | undefined;
    /** What the last automatic report described: a new report goes when it changes. */
    lastReportKey: string;
  };
}

/** The page: its state, its elements and its link to the host, passed to every module. */
export interface Page {
  s: TimelineState;
  dom: TimelineDom;
  host: HostLink<TimelineToHost>;
}

function isViewport(v: unknown): v is Viewport {
  return !!v && typeof v === 'object' && Number.isFinite((v as Viewport).t0) && Number.isFinite((v as Viewport).t1);
}

/** The saved state, each field checked (it comes back from VS Code as it was stored, or not at all). */
export function readSavedState(raw: unknown): SavedState {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const id = (v: unknown) => (typeof v === 'string' ? v : null);
  const follow = o.follow === 'fit' || o.follow === 'tail' || o.follow === 'off' ? o.follow : undefined;
  return {
    runId: id(o.runId),
    compareRunId: id(o.compareRunId),
    ...(isViewport(o.vp) ? { vp: { t0: o.vp.t0, t1: o.vp.t1 } } : {}),
    ...(follow ? { follow } : {}),
    ...(o.align === 'start' || o.align === 'first' ? { align: o.align } : {}),
    ...(o.axisMode === 'time' || o.axisMode === 'order' ? { axisMode: o.axisMode } : {}),
  };
}

export function initialState(saved: SavedState): TimelineState {
  return {
    runs: [undefined, undefined],
    runList: [],
    dropped: 0,
    keep: 0,
    notice: '',
    lockView: undefined,
    vp: saved.vp ?? { t0: 0, t1: 1e9 },
    follow: saved.follow ?? 'fit',
    align: saved.align === 'start' ? 'start' : 'first',
    restoreVp: saved.runId && saved.vp ? { runId: saved.runId, vp: saved.vp, follow: saved.follow ?? 'fit' } : undefined,
    selection: undefined,
    hover: undefined,
    drag: undefined,
    axisMode: saved.axisMode ?? 'time',
    playhead: undefined,
    play: { speed: 0.1, playing: false, last: 0, frame: 0, posted: 0, postTimer: undefined },
    narration: { open: false, selected: undefined, span: undefined },
    tracks: [],
    palette: readPalette(),
    cssW: 0,
    cssH: 0,
    frameTimes: [],
    pending: { frame: 0, save: undefined, transcript: undefined, transcriptDirty: false, overlap: undefined, report: undefined, lastReportKey: '' },
  };
}

export function slotIndex(slot: TimelineSlot): number { return slot === 'main' ? 0 : 1; }

/** The main run's lock state, if it is about the run shown there and that run still goes. */
export function liveLockView(s: TimelineState): LockView | undefined {
  const main = s.runs[0];
  return s.lockView && main && s.lockView.runId === main.runId && main.live ? s.lockView : undefined;
}
