/**
 * Where the "▶ Trace with Shout/Hear" CodeLens goes: the `if __name__ == "__main__":` lines of a
 * Python file that imports multiprocessing. Text only (no `vscode`), so unit tests check it.
 */
const IMPORTS_MULTIPROCESSING = /^[ \t]*(import[ \t]+multiprocessing\b|from[ \t]+multiprocessing\b|import[ \t]+.*\bmultiprocessing\b)/m;
const MAIN_GUARD = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;

/** 0-based line numbers of the main guards; none when the file does not import multiprocessing. */
export function mainGuardLines(text: string): number[] {
  if (!IMPORTS_MULTIPROCESSING.test(text)) { return []; }
  const out: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => { if (MAIN_GUARD.test(line)) { out.push(i); } });
  return out;
}
