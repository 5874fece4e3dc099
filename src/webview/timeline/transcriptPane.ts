/**
 * The run's output lines, as a virtual list: only the visible rows exist in the DOM, reused
 * as it scrolls, each row's text set with textContent. Clicking a row reports its index.
 */
import { STRINGS as T } from './strings';
const ROW_H = 18;

export class TranscriptPane {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly title: HTMLElement;
  private readonly rows: HTMLElement[] = [];
  private lines: readonly string[] = [];
  private selected = new Set<number>();
  private focused = 0;
  private note = '';

  constructor(private readonly onPick: (line: number) => void) {
    this.element = document.createElement('section');
    this.element.className = 'transcript';
    this.element.setAttribute('aria-label', T.transcript);
    this.title = document.createElement('h2');
    this.title.className = 'transcript-title';
    this.title.textContent = T.output;
    this.scroller = document.createElement('div');
    this.scroller.className = 'transcript-scroller';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'listbox');
    this.scroller.setAttribute('aria-label', T.transcriptList);
    this.spacer = document.createElement('div');
    this.spacer.className = 'transcript-spacer';
    this.scroller.append(this.spacer);
    this.element.append(this.title, this.scroller);
    this.scroller.addEventListener('scroll', () => this.render());
    this.scroller.addEventListener('click', (ev) => {
      const row = (ev.target as HTMLElement).closest<HTMLElement>('.transcript-row');
      if (row?.dataset.index) { this.focused = Number(row.dataset.index); this.onPick(this.focused); }
    });
    this.scroller.addEventListener('keydown', (ev) => {
      const n = this.lines.length;
      if (n === 0) { return; }
      const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 1);
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
      if (ev.key in moves) { this.focused = Math.max(0, Math.min(n - 1, this.focused + moves[ev.key])); }
      else if (ev.key === 'Home') { this.focused = 0; } else if (ev.key === 'End') { this.focused = n - 1; }
      else if (ev.key === 'Enter' || ev.key === ' ') { this.onPick(this.focused); } else { return; }
      ev.preventDefault();
      this.reveal(this.focused);
      this.render();
    });
    new ResizeObserver(() => this.render()).observe(this.scroller);
  }

  setLines(lines: readonly string[], note = ''): void {
    this.lines = lines;
    this.note = note;
    this.spacer.style.height = `${lines.length * ROW_H}px`;
    this.title.textContent = T.outputTitle(lines.length, note);
    this.render();
  }

  get noteText(): string { return this.note; }

  get lineCount(): number { return this.lines.length; }

  select(line: number, reveal = true): void {
    this.selectMany(line >= 0 ? [line] : [], reveal);
  }

  /** Several lines selected at once (a narration sentence's lines); the first is revealed. */
  selectMany(lines: readonly number[], reveal = true): void {
    this.selected = new Set(lines);
    if (lines.length > 0) { this.focused = lines[0]; if (reveal) { this.reveal(lines[0]); } }
    this.render();
  }

  get selectedLines(): number[] { return [...this.selected].sort((a, b) => a - b); }

  /** Text of the first rows as shown (for the rendered report). */
  sample(n: number): string[] {
    return this.rows.filter((r) => !r.hidden).slice(0, n).map((r) => r.textContent ?? '');
  }

  private reveal(line: number): void {
    const top = line * ROW_H;
    const h = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop || top + ROW_H > this.scroller.scrollTop + h) {
      this.scroller.scrollTop = Math.max(0, top - h / 2);
    }
  }

  private render(): void {
    const h = this.scroller.clientHeight || 400;
    const first = Math.floor(this.scroller.scrollTop / ROW_H);
    const count = Math.min(this.lines.length - first, Math.ceil(h / ROW_H) + 1);
    while (this.rows.length < count) {
      const row = document.createElement('div');
      row.className = 'transcript-row';
      row.setAttribute('role', 'option');
      this.scroller.append(row);
      this.rows.push(row);
    }
    this.rows.forEach((row, k) => {
      const i = first + k;
      if (k >= count || i >= this.lines.length) { row.hidden = true; return; }
      row.hidden = false;
      row.dataset.index = String(i);
      row.style.top = `${i * ROW_H}px`;
      row.textContent = this.lines[i];
      row.classList.toggle('selected', this.selected.has(i));
      row.classList.toggle('focused', i === this.focused);
      row.setAttribute('aria-selected', String(this.selected.has(i)));
    });
    const active = this.rows.find((r) => !r.hidden && Number(r.dataset.index) === this.focused);
    if (active) { active.id = 'transcript-active'; this.scroller.setAttribute('aria-activedescendant', 'transcript-active'); }
  }
}
