/**
 * The trace's vocabulary (docs/trace-format.md, version 2): what each event kind means, the flag
 * bits, the sentinel and the scheduler's lane. Shared by every layer — workers, engine, trace,
 * statistics, host and pages — so it is pure: no Node, no DOM, no `vscode`. How a record is laid
 * out in bytes lives in wire.ts (the pages never see bytes, only columns).
 */

/** What happened. Spans have a duration; instants have dur = 0. (docs/trace-format.md, version 2) */
export const enum EventKind {
  /** Instant: the worker's program began (after the start gate opened). value = its OS pid. */
  Start = 0,
  /** Instant: the worker's program finished and is about to exit. */
  Exit = 1,
  /** Span: waiting for the print lock (acquire → got it), stamped by the waiting process. value = message of the line. */
  LockWait = 2,
  /** Span: holding the print lock while writing one line. value = message; flags = PrintFlags; aux = piece index (lock off). */
  Print = 3,
  /** Instant: a message was put on the queue. value = message (SENTINEL for "done"); aux = shouter. */
  Put = 4,
  /** Span: put blocked because the queue was full. value = message. */
  PutBlocked = 5,
  /** Instant: a message was taken from the queue. value = message; aux = shouter. */
  Get = 6,
  /** Span: get blocked because the queue was empty. */
  GetWait = 7,
  /** Span: the shouter napped after putting message `value`. */
  Nap = 8,
  /** Instant, recorded by the scheduler process: the lock was granted to lane `aux`. */
  Grant = 9,
  /** Instant (v1 runs only): the holder `aux` was asked to hand the lock over. */
  Revoke = 10,
  /** Span: a lock held from acquire to release (locks not tied to one print). */
  LockHeld = 11,
  /** Instant: JoinableQueue.task_done() on queue `obj`. */
  TaskDone = 12,
  /** Span: JoinableQueue.join() waiting on queue `obj`. */
  JoinWait = 13,
  /** Instant: a line written to stdout (aux 1) or stderr (aux 2) by a traced script. */
  Output = 14,
}

export const EVENT_KIND_NAMES: readonly string[] = [
  'start', 'exit', 'lockWait', 'print', 'put', 'putBlocked', 'get', 'getWait', 'nap', 'grant', 'revoke',
  'lockHeld', 'taskDone', 'joinWait', 'output',
];

/** The `flags` byte of a record. */
export const enum PrintFlags {
  /** Print: the lock was taken without waiting (an uncontended acquire). */
  FastAcquire = 1,
  /** Print: written without the lock; the span is one piece of the line (its index in aux). */
  NoLock = 2,
  /** Put: it had to wait for room in a bounded queue. */
  Blocked = 4,
}

/** Queue value of the "done" sentinel (messages are numbered from 1). */
export const SENTINEL = -1;

/** The lane of events recorded by the scheduler process (or, in v1 files, the host). */
export const SCHEDULER_PROC = 0xffff;

/** Version of the trace records and files (docs/trace-format.md). */
export const TRACE_VERSION = 2;

/** An acquire that waited longer than this counts as contended, in both engines (ns). */
export const CONTENDED_WAIT_NS = 50_000;

export interface TraceEvent {
  kind: EventKind;
  flags: number;
  proc: number;
  obj: number;
  site: number;
  value: number;
  aux: number;
  /** ns since the run's t0 (process.hrtime.bigint() in every process: CLOCK_MONOTONIC). */
  t: number;
  /** ns; 0 for instants. */
  dur: number;
}
