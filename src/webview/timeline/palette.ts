/**
 * The Timeline's colours and fonts, from the VS Code theme (`--vscode-*` variables): one per
 * event kind, one per process, and the plot's chrome. Re-read when the theme changes.
 */
import { isHighContrast, themeVars } from '../shared/theme';

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  laneStripe: string;
  border: string;
  focus: string;
  selection: string;
  /** By EventKind. */
  kind: string[];
  /** Lock-holder colour by process (cycled). */
  procs: string[];
  arrow: string;
  depth: string;
  /** Lock off: where lines of different processes overlap. */
  warning: string;
  font: string;
  monoFont: string;
  highContrast: boolean;
}

export function readPalette(): Palette {
  const v = themeVars();
  const hc = isHighContrast();
  const blue = v('--vscode-charts-blue', '#3794ff');
  const orange = v('--vscode-charts-orange', '#d18616');
  const purple = v('--vscode-charts-purple', '#b180d7');
  const green = v('--vscode-charts-green', '#89d185');
  const yellow = v('--vscode-charts-yellow', '#cca700');
  const red = v('--vscode-charts-red', '#f14c4c');
  const fg = v('--vscode-foreground', '#cccccc');
  const muted = v('--vscode-descriptionForeground', '#999999');
  const kind: string[] = [];
  kind[0] = muted; // start
  kind[1] = muted; // exit
  kind[2] = orange; // lock wait
  kind[3] = blue; // print
  kind[4] = green; // put
  kind[5] = red; // put blocked
  kind[6] = yellow; // get
  kind[7] = v('--vscode-charts-lines', muted); // get wait
  kind[8] = purple; // nap
  kind[9] = fg;
  kind[10] = red;
  return {
    background: v('--vscode-editor-background', '#1e1e1e'),
    foreground: fg,
    muted,
    grid: v('--vscode-editorRuler-foreground', v('--vscode-panel-border', '#80808040')),
    laneStripe: v('--vscode-list-hoverBackground', '#80808014'),
    border: v('--vscode-contrastBorder', v('--vscode-panel-border', '#80808059')),
    focus: v('--vscode-focusBorder', '#007fd4'),
    selection: v('--vscode-editor-selectionBackground', '#264f78'),
    kind,
    procs: [
      v('--vscode-terminal-ansiCyan', '#11a8cd'),
      v('--vscode-terminal-ansiMagenta', '#bc3fbc'),
      v('--vscode-terminal-ansiYellow', '#e5e510'),
      v('--vscode-terminal-ansiGreen', '#0dbc79'),
      v('--vscode-terminal-ansiRed', '#cd3131'),
      v('--vscode-terminal-ansiBlue', '#2472c8'),
    ],
    arrow: fg,
    depth: v('--vscode-charts-green', green),
    warning: v('--vscode-editorWarning-foreground', v('--vscode-list-warningForeground', '#cca700')),
    font: v('--vscode-font-family', 'sans-serif'),
    monoFont: v('--vscode-editor-font-family', 'monospace'),
    highContrast: hc,
  };
}
