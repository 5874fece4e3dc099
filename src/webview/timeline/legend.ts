/** The legend: a swatch and words per thing the plot draws. */
import { el } from '../shared/dom';

type Item = readonly [string, string];

const ITEMS: readonly Item[] = [
  ['lockwait', 'waiting for the lock'],
  ['print', 'print (lock held)'],
  ['nap', 'nap'],
  ['getwait', 'blocked in get'],
  ['putblocked', 'put blocked'],
  ['put', 'put'],
  ['get', 'get'],
  ['arrow', 'put → get'],
  ['depth', 'queue depth'],
  ['holder', 'lock holder: its process\'s colour (strip beside the name)'],
];

/** Shown when a run has its lock off. */
const LOCK_OFF: Item = ['overlap', 'lines overlapping (lock off: a process wrote while another was mid-line)'];

export function describeLegend(container: HTMLElement, opts: { lockOff?: boolean } = {}): void {
  const items = opts.lockOff ? [...ITEMS.map(([k, w]): Item => (k === 'print' ? ['print', 'print (a piece of a line, lock off)'] : [k, w])), LOCK_OFF] : ITEMS;
  container.replaceChildren(...items.map(([key, words]) => {
    const item = el('span', 'legend-item');
    const sw = el('span', `swatch swatch-${key}`);
    sw.setAttribute('aria-hidden', 'true');
    item.append(sw, el('span', '', words));
    return item;
  }));
}
