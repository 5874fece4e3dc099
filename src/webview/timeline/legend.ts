/** The legend: a swatch and words per thing the plot draws. */
import { el } from './dom';

const ITEMS: readonly [string, string][] = [
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

export function describeLegend(container: HTMLElement): void {
  container.replaceChildren(...ITEMS.map(([key, words]) => {
    const item = el('span', 'legend-item');
    const sw = el('span', `swatch swatch-${key}`);
    sw.setAttribute('aria-hidden', 'true');
    item.append(sw, el('span', '', words));
    return item;
  }));
}
