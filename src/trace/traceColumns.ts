/**
 * The trace file's own columns (the `shoutHear` section of an exported run): which columns, their
 * widths, and how one cell is written and read, little endian. Shared by the exporter
 * (chromeTrace.ts) and the importer (traceImport.ts), so the two cannot disagree. Pure.
 */
import { EVENT_KIND_NAMES } from '../protocol/events';

/** `format` of our section (and of otherData). */
export const TRACE_FORMAT = 'shout-hear-trace';
/** Version 2: trace format v2's columns (docs/trace-format.md); version 1 files are refused. */
export const TRACE_FORMAT_VERSION = 2;

export const kindName = (kind: number) => EVENT_KIND_NAMES[kind] ?? `kind ${kind}`;


/** The stored columns of a v2 trace and their widths in bytes (the TraceStore's typed arrays). */
export const COLUMNS = [['t', 8], ['dur', 4], ['value', 4], ['aux', 4], ['kind', 1], ['flags', 1], ['proc', 2], ['obj', 2], ['site', 2]] as const;
export type ColumnName = typeof COLUMNS[number][0];

export function writeCell(view: DataView, name: ColumnName, i: number, x: number): void {
  switch (name) {
    case 't': view.setFloat64(i * 8, x, true); break;
    case 'dur': view.setFloat32(i * 4, x, true); break;
    case 'value': view.setInt32(i * 4, x, true); break;
    case 'aux': view.setUint32(i * 4, x, true); break;
    case 'kind': case 'flags': view.setUint8(i, x); break;
    default: view.setUint16(i * 2, x, true); break;
  }
}

export function readCell(view: DataView, name: ColumnName, i: number): number {
  switch (name) {
    case 't': return view.getFloat64(i * 8, true);
    case 'dur': return view.getFloat32(i * 4, true);
    case 'value': return view.getInt32(i * 4, true);
    case 'aux': return view.getUint32(i * 4, true);
    case 'kind': case 'flags': return view.getUint8(i);
    default: return view.getUint16(i * 2, true);
  }
}
