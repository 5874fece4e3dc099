/**
 * The benchmark's rows (figure, target, pass or miss, notes), the machine they were measured on,
 * and the printed table.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import { PYTHON } from './env';
import { fmt } from './stats';

export type Cmp = '>=' | '<=';
export interface Row {
  id: string;
  name: string;
  value: number | null;
  unit: string;
  target?: { cmp: Cmp; value: number };
  pass: boolean | null;
  /** How a miss compares with the target, e.g. "1.4x over". */
  note?: string;
  samples?: number[];
  /** What to show instead of a figure when there is none. */
  shown?: string;
}

export const rows: Row[] = [];

export function row(id: string, name: string, value: number | null, unit: string, target?: { cmp: Cmp; value: number }, note?: string, samples?: number[]): Row {
  const pass = value === null || !target ? null : target.cmp === '>=' ? value >= target.value : value <= target.value;
  const r: Row = { id, name, value, unit, ...(target ? { target } : {}), pass, ...(note ? { note } : {}), ...(samples ? { samples } : {}) };
  rows.push(r);
  return r;
}

export function showValue(r: Row): string {
  if (r.value === null) { return r.shown ?? 'not measured yet'; }
  const v = r.value;
  switch (r.unit) {
    case 'msgs/s': return `${fmt(v)} msgs/s`;
    case 'x': return `${v.toFixed(2)}×`;
    case 'ms': return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
    case 'B': return `${fmt(v, v < 100 ? 1 : 0)} B`;
    case 'KB': return `${v.toFixed(1)} KB`;
    case 'MB': return `${v.toFixed(1)} MB`;
    default: return `${fmt(v, 2)} ${r.unit}`;
  }
}

export function showTarget(r: Row): string {
  if (!r.target) { return '—'; }
  const t = r.target.value;
  const unit = r.unit === 'x' ? '×' : r.unit === 'msgs/s' ? ' msgs/s' : ` ${r.unit}`;
  return `${r.target.cmp === '>=' ? '≥' : '≤'} ${r.unit === 'x' ? t.toFixed(2) : fmt(t)}${unit}`;
}

export function showResult(r: Row): string {
  if (r.value === null) { return '—'; }
  if (r.pass === null) { return 'info'; }
  return r.pass ? 'PASS' : 'MISS';
}

export function machine() {
  const cpus = os.cpus();
  const py = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
  const load: number[] = os.loadavg();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    python: (py.stdout || py.stderr || 'not found').trim().replace(/^Python /, ''),
    loadavgAtStart: load.map((x) => Math.round(x * 100) / 100),
  };
}

export function printTable(result: { machine: ReturnType<typeof machine> & { loadavgAtEnd: number[] }; quick: boolean; reps: number; date: string; seconds: number }): void {
  const m = result.machine;
  const out: string[] = [];
  out.push(`Shout/Hear benchmark — ${result.date}${result.quick ? ' (--quick)' : ''}, ${result.reps} interleaved repetitions, ${result.seconds} s`);
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM, ${m.os}; Node ${m.node}; Python ${m.python}; load average ${m.loadavgAtStart.join('/')} → ${m.loadavgAtEnd.join('/')}`);
  out.push('');
  const header = ['Benchmark', 'Measured', 'Target', 'Result', 'Notes'];
  const body = rows.map((r) => [r.name, showValue(r), showTarget(r), showResult(r), r.note ?? '']);
  out.push(`| ${header.join(' | ')} |`);
  out.push(`|${header.map((_, i) => (i === 1 || i === 2 ? '---:' : '---')).join('|')}|`);
  for (const b of body) { out.push(`| ${b.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`); }
  const missed = rows.filter((r) => r.pass === false);
  out.push('');
  out.push(missed.length === 0 ? 'All measured targets met.' : `Missed: ${missed.map((r) => `${r.id} (${showValue(r)} vs ${showTarget(r)})`).join('; ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
