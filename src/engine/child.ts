/**
 * One OS process the engine spawned: its control channel (fd 4: frames both ways), the tail of
 * its stderr, how it exited, and whether it said it finished. Knows nothing of locks or runs.
 */
import type { ChildProcess } from 'child_process';
import type { Socket } from 'net';
import { FrameDecoder, encodeFrame, type HostToWorker, type WorkerToHost } from '../protocol/wire';

const STDERR_TAIL_BYTES = 2048;

export interface ChildEvents {
  message(child: SpawnedChild, message: WorkerToHost): void;
  /** The stream broke the protocol: the run should fail. */
  protocolError(child: SpawnedChild, error: Error): void;
  controlClosed(child: SpawnedChild): void;
  exit(child: SpawnedChild): void;
  spawnError(child: SpawnedChild, error: Error): void;
}

export class SpawnedChild {
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  controlClosed = false;
  finished = false;
  fault?: string;
  stderrTail = '';
  /** Set when the OS could not start it (ENOENT, EACCES, EAGAIN, EMFILE...): no 'exit' will come. */
  spawnFailure?: Error;
  /** Set by the first frame it sends: it is running our program. */
  ready = false;

  constructor(readonly name: string, readonly process: ChildProcess, events: ChildEvents) {
    process.on('error', (err) => {
      // A process that never started emits 'error' and 'close' but never 'exit': record an exit
      // ourselves, or the run would wait for it forever.
      if (process.pid === undefined && this.exit === undefined) {
        this.spawnFailure = err;
        this.exit = { code: null, signal: null };
        this.control?.destroy();
      }
      events.spawnError(this, err);
    });
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    const frames = new FrameDecoder();
    this.control.on('data', (chunk: Buffer) => {
      this.ready = true;
      let messages: WorkerToHost[];
      try {
        messages = frames.push(chunk) as WorkerToHost[];
      } catch (err) {
        events.protocolError(this, err as Error);
        return;
      }
      for (const m of messages) {
        if (m.type === 'finished') { this.finished = true; this.control.end(); }
        if (m.type === 'fault') { this.fault = m.message; this.control.end(); }
        events.message(this, m);
      }
    });
    this.control.on('error', () => { /* 'close' follows and is handled there */ });
    this.control.on('close', () => { this.controlClosed = true; events.controlClosed(this); });
    process.on('exit', (code, signal) => { this.exit = { code, signal }; events.exit(this); });
  }

  get pid(): number | undefined { return this.process.pid; }

  /** The control channel (the child's fd 4). */
  get control(): Socket { return this.process.stdio[4] as unknown as Socket; }

  get closed(): boolean { return this.exit !== undefined && this.controlClosed; }

  send(message: HostToWorker): boolean {
    if (this.controlClosed || this.control.writableEnded) { return false; }
    this.control.write(encodeFrame(message));
    return true;
  }

  /** How it ended, in words: "the shouter (pid 12) was killed by signal SIGKILL: <last words>". */
  describeExit(): string {
    if (this.spawnFailure) { return `the ${this.name} could not be started: ${this.spawnFailure.message}`; }
    const how = this.exit?.signal ? `was killed by signal ${this.exit.signal}`
      : this.exit?.code === 0 ? 'exited (code 0) without reporting that it had finished'
      : this.exit ? `exited with code ${this.exit.code}` : 'did not exit';
    const why = this.fault ?? this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return `the ${this.name} (pid ${this.pid}) ${how}${why ? `: ${why}` : ''}`;
  }
}
