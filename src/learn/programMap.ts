/**
 * Where each traced step happens in the lesson's listing (media/program/shout_hear.py): every
 * event kind, for each role, maps to a 1-based line, so the program editor can reveal an
 * event's line and decorate each process's current line. The listing is ours; a unit test
 * checks that each line named here says what this map claims it does.
 */
import { K, SENTINEL_VALUE } from './traceView';

/** The listing's path inside the extension, and its lines of interest (1-based). */
export const PROGRAM_LISTING = 'media/program/shout_hear.py';

export const LINES = {
  printNoLock: 16,
  withLock: 18,
  printLocked: 19,
  shouterStart: 22,
  put: 26,
  nap: 28,
  sentinelPut: 29,
  shouterExit: 30,
  hearerStart: 33,
  firstGet: 34,
  get: 37,
  hearerExit: 38,
} as const;

/** For the test (and for readers): what each line of interest contains. */
export const LINE_TEXT: Record<keyof typeof LINES, string> = {
  printNoLock: 'print(text, flush=True)',
  withLock: 'with lock:',
  printLocked: 'print(text, flush=True)',
  shouterStart: 'def shouter(queue, lock):',
  put: 'queue.put(i)',
  nap: 'time.sleep(NAP_SECONDS)',
  sentinelPut: 'queue.put("done")',
  shouterExit: '# exit',
  hearerStart: 'def hearer(queue, lock):',
  firstGet: 'message = queue.get()',
  get: 'message = queue.get()',
  hearerExit: '# exit',
};

/** Trace kinds 0–10 by name, for completeness checks. */
export const KNOWN_KINDS: readonly number[] = Object.values(K);

export interface LineContext {
  /** The lane's role: 'hearer' selects the hearer's lines; anything else the shouter's. */
  role: string;
  /** Message number (SENTINEL_VALUE for "done"). */
  value?: number;
  /** Print flags (lock off: the unlocked print line). */
  flags?: number;
  /** A get: whether it is the process's first (the get before the loop). */
  firstGet?: boolean;
}

/**
 * The listing line of an event of `kind` in a process of `ctx.role`; null for kinds the
 * listing has no line for (none of 0–10).
 */
export function lineOfEvent(kind: number, ctx: LineContext): number | null {
  const hearer = ctx.role === 'hearer';
  switch (kind) {
    case K.start: return hearer ? LINES.hearerStart : LINES.shouterStart;
    case K.exit: return hearer ? LINES.hearerExit : LINES.shouterExit;
    case K.lockWait: return LINES.withLock;
    case K.print: return (ctx.flags ?? 0) & 2 ? LINES.printNoLock : LINES.printLocked;
    case K.put: case K.putBlocked: return ctx.value === SENTINEL_VALUE ? LINES.sentinelPut : LINES.put;
    case K.get: case K.getWait: return ctx.firstGet ? LINES.firstGet : LINES.get;
    case K.nap: return LINES.nap;
    // The host's lock hand-overs happen at `with lock:` (acquire) of the process concerned.
    case K.grant: case K.revoke: return LINES.withLock;
    default: return null;
  }
}
