/**
 * The meta objects of a traced user program (docs/trace-format.md, "Traced scripts"): lanes,
 * objects (queues, locks), sites (file:line), tag texts, exits, errors and what was not traced.
 * The spool is written by the user's program, so it is untrusted input: every object is
 * checked whole against its shape and bounds, and a bad one is an error naming the meta.
 * No `vscode` import.
 */

export type ScriptObjectKind = 'queue' | 'joinableQueue' | 'simpleQueue' | 'lock' | 'rlock' | 'semaphore' | 'boundedSemaphore';
const OBJECT_KINDS: readonly string[] = ['queue', 'joinableQueue', 'simpleQueue', 'lock', 'rlock', 'semaphore', 'boundedSemaphore'];
export const QUEUE_KINDS: readonly string[] = ['queue', 'joinableQueue', 'simpleQueue'];
const UNTRACED: readonly string[] = ['Pool', 'Manager', 'Pipe', 'Event', 'Condition', 'Barrier', 'Value', 'Array', 'RawValue', 'RawArray', 'Thread'];

export interface ScriptLane { proc: number; name: string; pid: number; parent: number | null }
export interface ScriptObject { obj: number; kind: ScriptObjectKind; label: string; site: number; capacity: number }
export interface ScriptSite { file: string; line: number }
export interface ScriptExit { proc: number; name: string; pid: number; code: number; daemon: boolean; terminatedBy: 'program' | 'multiprocessing' | null; stopped?: boolean }
export interface ScriptError { proc: number; site: number; error: string; traceback: string }

/** Numbers a spool may use: lanes, objects and sites are u16 in a record. */
const MAX_ID = 0xfffe;
const MAX_LANES = 4096;
/** Characters of tag texts kept in all (reprs and printed texts); past it texts are not kept. */
const MAX_STRING_CHARS = 64 * 1024 * 1024;

type Obj = Record<string, unknown>;

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

export class ScriptMeta {
  readonly lanes = new Map<number, ScriptLane>();
  readonly objects = new Map<number, ScriptObject>();
  readonly sites = new Map<number, ScriptSite>();
  readonly exits = new Map<number, ScriptExit>();
  readonly errors = new Map<number, ScriptError>();
  /** "Pool at file.py:12", once per kind and place. */
  readonly untraced = new Set<string>();
  /** Texts of tags, per lane: texts[lane][tag - 1]. */
  private readonly texts = new Map<number, string[]>();
  private stringChars = 0;
  /** Tag texts not kept because of MAX_STRING_CHARS. */
  droppedStrings = 0;

  /** The text of tag `tag` of lane `lane` (a put's repr or a print's text), if known. */
  text(lane: number, tag: number): string | undefined { return this.texts.get(lane)?.[tag - 1]; }

  /** The tag texts for the timeline's hover: per lane, at most `maxChars` characters in all (the first tags of each lane). */
  textsForTimeline(maxChars = 8 * 1024 * 1024): Record<number, string[]> {
    const out: Record<number, string[]> = {};
    const budget = Math.floor(maxChars / Math.max(1, this.texts.size));
    for (const [lane, list] of this.texts) {
      let used = 0;
      let n = 0;
      while (n < list.length && used + (list[n]?.length ?? 0) <= budget) { used += list[n]?.length ?? 0; n++; }
      out[lane] = list.slice(0, n).map((t) => t ?? '');
    }
    return out;
  }

  /** "file.py:12" of a site, or undefined. */
  siteLabel(site: number): string | undefined {
    const s = this.sites.get(site);
    return s ? `${s.file.split(/[\\/]/).pop()}:${s.line}` : undefined;
  }

  /** Adds one meta frame's JSON; throws an Error naming what is wrong. */
  add(json: string): void {
    let m: unknown;
    try { m = JSON.parse(json); } catch { throw new Error('a meta frame is not JSON'); }
    if (typeof m !== 'object' || m === null || Array.isArray(m)) { throw new Error('a meta frame is not a JSON object'); }
    const o = m as Obj;
    const bad = (what: string) => new Error(`the "${String(o.type).slice(0, 20)}" meta frame has ${what}`);
    switch (o.type) {
      case 'lane': {
        if (!isInt(o.proc, 0, MAX_ID) || !isStr(o.name, 100) || !isInt(o.pid, 0, 2 ** 31 - 1)
          || !(o.parent === null || o.parent === undefined || isInt(o.parent, 0, MAX_ID))) { throw bad('a bad proc, name, pid or parent'); }
        if (!this.lanes.has(o.proc) && this.lanes.size >= MAX_LANES) { throw bad(`more than ${MAX_LANES} lanes`); }
        this.lanes.set(o.proc, { proc: o.proc, name: o.name, pid: o.pid, parent: (o.parent) ?? null });
        return;
      }
      case 'object':
        if (!isInt(o.obj, 1, MAX_ID) || !isStr(o.kind, 40) || !OBJECT_KINDS.includes(o.kind) || !isStr(o.label, 1024)
          || !(o.site === undefined || isInt(o.site, 0, MAX_ID)) || !(o.capacity === undefined || isInt(o.capacity, 0, 2 ** 31 - 1))) {
          throw bad(`a bad obj, kind (one of ${OBJECT_KINDS.join(', ')}), label, site or capacity`);
        }
        this.objects.set(o.obj, { obj: o.obj, kind: o.kind as ScriptObjectKind, label: o.label, site: (o.site) ?? 0, capacity: (o.capacity) ?? 0 });
        return;
      case 'site':
        if (!isInt(o.site, 1, MAX_ID) || !isStr(o.file, 1024) || !isInt(o.line, 0, 2 ** 31 - 1)) { throw bad('a bad site, file or line'); }
        this.sites.set(o.site, { file: o.file, line: o.line });
        return;
      case 'strings': {
        if (!isInt(o.proc, 0, MAX_ID) || !isInt(o.first, 1, 2 ** 31 - 1) || !Array.isArray(o.texts) || o.texts.length > 1_000_000
          || !o.texts.every((t) => isStr(t, 1000))) { throw bad('a bad proc, first tag or texts'); }
        const list = this.texts.get(o.proc) ?? [];
        this.texts.set(o.proc, list);
        (o.texts).forEach((t, i) => {
          if (this.stringChars + t.length > MAX_STRING_CHARS) { this.droppedStrings++; return; }
          this.stringChars += t.length;
          list[(o.first as number) - 1 + i] = t;
        });
        return;
      }
      case 'exit':
        if (!isInt(o.proc, 0, MAX_ID) || !isStr(o.name, 100) || !isInt(o.pid, 0, 2 ** 31 - 1) || !isInt(o.code, -(2 ** 31), 2 ** 31 - 1)
          || typeof o.daemon !== 'boolean' || !(o.terminatedBy === null || o.terminatedBy === 'program' || o.terminatedBy === 'multiprocessing')
          || !(o.stopped === undefined || typeof o.stopped === 'boolean')) { throw bad('a bad proc, name, pid, code, daemon, terminatedBy or stopped'); }
        this.exits.set(o.proc, {
          proc: o.proc, name: o.name, pid: o.pid, code: o.code, daemon: o.daemon, terminatedBy: o.terminatedBy,
          ...(o.stopped !== undefined ? { stopped: o.stopped } : {}),
        });
        return;
      case 'error':
        if (!isInt(o.proc, 0, MAX_ID) || !isInt(o.site, 0, MAX_ID) || !isStr(o.error, 1000) || !isStr(o.traceback, 8000)) { throw bad('a bad proc, site, error or traceback'); }
        this.errors.set(o.proc, { proc: o.proc, site: o.site, error: o.error, traceback: o.traceback });
        return;
      case 'untraced':
        if (!isStr(o.what, 40) || !UNTRACED.includes(o.what) || !isInt(o.site, 0, MAX_ID)) { throw bad(`a bad what (one of ${UNTRACED.join(', ')}) or site`); }
        if (this.untraced.size < 1000) { this.untraced.add(`${o.what}${o.site ? ` at ${this.siteLabel(o.site) ?? `site ${o.site}`}` : ''}`); }
        return;
      default:
        throw new Error(`a meta frame of unknown type ${JSON.stringify(o.type)?.slice(0, 40)}`);
    }
  }
}
