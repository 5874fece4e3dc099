/**
 * The lines the lesson prints, written by the workers (and python/shout_hear.py, in the same
 * words) and read back by the statistics and the timeline page: the ONE formatter and the ONE
 * parser. One shouter and one hearer: `Shout: i` / `Hear: i`; more: `Shout[k]: i` /
 * `Hear[j]: k/i` (1-based process numbers). Pure: no Node, no DOM, no `vscode`.
 */

/** The line shouter `shouter` (0-based) prints for message `message`. */
export function shoutLine(shouters: number, hearers: number, shouter: number, message: number): string {
  return shouters === 1 && hearers === 1 ? `Shout: ${message}` : `Shout[${shouter + 1}]: ${message}`;
}

/** The line hearer `hearer` prints for message `message` of shouter `shouter` (both 0-based). */
export function hearLine(shouters: number, hearers: number, hearer: number, shouter: number, message: number): string {
  return shouters === 1 && hearers === 1 ? `Hear: ${message}` : `Hear[${hearer + 1}]: ${shouter + 1}/${message}`;
}

/** A lesson line, parsed: who printed it and which message it names. */
export interface LessonLine {
  role: 'shouter' | 'hearer';
  /** 0-based index of the printing process among its role (0 in the short form). */
  index: number;
  /** 0-based shouter of the message: the printer for a Shout line, the `k/` for a Hear line (0 in the short form). */
  shouter: number;
  message: number;
  /** The long form (`[n]`), printed when there is more than one shouter or hearer. */
  numbered: boolean;
}

// Exactly the forms above; at most 3 digits for a process number, 9 for a message (an i32).
const SHOUT_LINE = /^Shout(?:\[(\d{1,3})\])?: (-?\d{1,9})$/;
const HEAR_LINE = /^Hear(?:\[(\d{1,3})\]: (\d{1,3})\/|: )(-?\d{1,9})$/;

/** The line's parts if it is a line shoutLine or hearLine can print (in either form), else undefined. */
export function parseLessonLine(line: string): LessonLine | undefined {
  const s = SHOUT_LINE.exec(line);
  if (s) {
    const index = s[1] === undefined ? 0 : Number(s[1]) - 1;
    return { role: 'shouter', index, shouter: index, message: Number(s[2]), numbered: s[1] !== undefined };
  }
  const h = HEAR_LINE.exec(line);
  if (!h) { return undefined; }
  const numbered = h[1] !== undefined;
  return { role: 'hearer', index: numbered ? Number(h[1]) - 1 : 0, shouter: numbered ? Number(h[2]) - 1 : 0, message: Number(h[3]), numbered };
}
