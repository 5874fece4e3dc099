/** Vertical layout of the plot: axis, then for each shown run its lanes, lock and queue tracks. Pure. */
import { STRINGS as T } from './strings';

export type TrackKind = 'slot' | 'lane' | 'lock' | 'depth';

export interface Track {
  kind: TrackKind;
  /** Index of the shown run (0: main, 1: compare). */
  slot: number;
  /** Process lane number, for 'lane'. */
  proc: number;
  /** A traced program's queue or lock: its index in the run's meta.objects. */
  obj?: number;
  y: number;
  h: number;
  label: string;
}

export interface SlotInput {
  label: string;
  processes: readonly { proc: number; name: string }[];
  /** A traced program's queues and locks: a track each instead of the one lock and one queue. */
  objects?: readonly { kind: 'queue' | 'lock'; label: string }[];
}

export const AXIS_H = 26;
export const LANE_H = 50;
export const LOCK_H = 18;
export const DEPTH_H = 44;
export const SLOT_H = 20;
export const GAP = 6;

/** Tracks from top to bottom; a slot header row only when more than one run is shown. */
export function layoutTracks(slots: readonly SlotInput[]): { tracks: Track[]; height: number } {
  const tracks: Track[] = [];
  let y = AXIS_H + GAP;
  slots.forEach((s, slot) => {
    if (slots.length > 1) { tracks.push({ kind: 'slot', slot, proc: -1, y, h: SLOT_H, label: s.label }); y += SLOT_H; }
    for (const p of s.processes) { tracks.push({ kind: 'lane', slot, proc: p.proc, y, h: LANE_H, label: p.name }); y += LANE_H; }
    if (s.objects) {
      s.objects.forEach((o, obj) => {
        if (o.kind === 'lock') { tracks.push({ kind: 'lock', slot, proc: -1, obj, y, h: LOCK_H, label: o.label }); y += LOCK_H + 2; }
      });
      s.objects.forEach((o, obj) => {
        if (o.kind === 'queue') { tracks.push({ kind: 'depth', slot, proc: -1, obj, y, h: DEPTH_H, label: o.label }); y += DEPTH_H + 2; }
      });
      y += GAP * 2;
      return;
    }
    tracks.push({ kind: 'lock', slot, proc: -1, y, h: LOCK_H, label: T.lockTrack }); y += LOCK_H + 2;
    tracks.push({ kind: 'depth', slot, proc: -1, y, h: DEPTH_H, label: T.depthTrack }); y += DEPTH_H + GAP * 2;
  });
  return { tracks, height: y };
}

export function trackAt(tracks: readonly Track[], y: number): Track | undefined {
  return tracks.find((t) => y >= t.y && y < t.y + t.h);
}

/** Within a lane: the span bar, then the row of put/get marks below it. */
export function laneRows(track: Track): { barY: number; barH: number; markY: number; markH: number } {
  return { barY: track.y + 6, barH: 24, markY: track.y + 32, markH: 12 };
}
