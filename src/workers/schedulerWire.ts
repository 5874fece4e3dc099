/**
 * The bytes and fds between the run's scheduler process and everyone who talks to it (the
 * workers and, for "manual" grants and exits it observes, the host). Pure constants: imported by
 * the workers, the scheduler and the engine.
 *
 * Requests travel as single bytes into ONE FIFO the scheduler blocks on (writes of one byte are
 * atomic, so bytes of several writers never mix): the top three bits say what, the low five
 * which lane. Grants travel back as one byte on the lane's own grant FIFO, which only the
 * scheduler writes. Nothing here waits on an event loop: every party reads and writes blocking.
 */

/** What a request byte asks. */
export enum SchedOp {
  /** A worker asks for the print lock. */
  Request = 0,
  /** A worker releases it. */
  Release = 1,
  /** A worker is done: it will ask no more (it may not hold the lock any longer). */
  Done = 2,
  /** The host saw the lane's process exit (a crash included): drop its hold or its place. */
  Gone = 3,
  /** Policy "manual": the user grants the free lock to this lane (relayed by the host). */
  GrantTo = 4,
}

const LANE_BITS = 5;
/** Lanes a request byte can name (8 shouters + 8 hearers fit). */
export const SCHED_MAX_LANES = 1 << LANE_BITS;

export function schedByte(op: SchedOp, lane: number): number { return (op << LANE_BITS) | lane; }
export function schedOp(byte: number): number { return byte >> LANE_BITS; }
export function schedLane(byte: number): number { return byte & (SCHED_MAX_LANES - 1); }

/**
 * Added to a scheduler client's worker config: its grants come from a person (policy "manual"),
 * so before every wait it writes out all it has traced (the wait may last minutes and the
 * timeline should show the line just printed); otherwise only what is older than 30 ms.
 */
export interface SchedulerClientConfig {
  /** manual: a person grants the lock (a wait may be long). */
  grantsByHand?: boolean;
  /**
   * replay: the plan, not the requests, says who is next; the next may need a queue item this
   * process has not sent yet, so a waiting process must keep sending (see WorkerRuntime.turn).
   */
  grantsByPlan?: boolean;
}

/** The byte the scheduler writes on a grant FIFO for one turn: ask before, release after. */
export const SCHED_GRANT = 0x47;
/**
 * replay: a turn granted ahead, with more of this lane's turns right behind it on the FIFO. The
 * process neither releases after it nor asks before the next: the scheduler counts the whole
 * run of turns as one hold, ended by the release after the last (a plain SCHED_GRANT).
 */
export const SCHED_GRANT_MORE = 0x4d;

/** Worker fds (policy other than os): its grant FIFO (blocking read), the shared request FIFO (write), the grant FIFO again (non-blocking read). */
export const GRANT_FD = 6;
export const REQUEST_FD = 7;
export const GRANT_POLL_FD = 8;
/** Scheduler fds: the request FIFO (read), then one grant FIFO per lane (write) from 7. */
export const SCHED_REQUESTS_FD = 6;
export const SCHED_FIRST_GRANT_FD = 7;
