/**
 * Save Timeline Image on the page side: the header, legend and plot (lanes and tracks with their
 * labels) drawn into one PNG at twice the CSS size, in the theme's colours or on a light
 * background for slides. The plot is drawn again for the picture (render.ts, at the picture's
 * scale, with the light palette when asked) rather than copied, so it is sharp.
 */
import type { ImageReply, ImageRequest } from '../../shared/pageImage';
import { IMAGE_SCALE } from '../../shared/pageImage';
import { answerSnapshot, LIGHT_BACKGROUND } from '../shared/snapshot';
import { GUTTER, shifts } from './axis';
import type { Palette } from './palette';
import { draw } from './render';
import type { Page } from './state';

/** VS Code's Light Modern chart colours: readable on white whatever the theme shown. */
export function lightPalette(themed: Palette): Palette {
  const muted = '#6e7681';
  return {
    ...themed,
    background: LIGHT_BACKGROUND, foreground: '#1f1f1f', muted, grid: '#d0d7de', laneStripe: '#f3f4f6', border: '#d0d7de',
    focus: '#005fb8', selection: '#add6ff',
    kind: [muted, muted, '#d18616', '#1a85ff', '#388a34', '#e51400', '#bf8803', '#8a8a8a', '#652d90', '#1f1f1f', '#e51400'],
    procs: ['#0598bc', '#bc05bc', '#949800', '#00bc00', '#cd3131', '#0451a5'],
    arrow: '#1f1f1f', depth: '#388a34', warning: '#bf8803', highContrast: false,
  };
}

export function answerPicture(p: Page, request: ImageRequest, post: (m: ImageReply) => void): Promise<void> {
  const { s, dom } = p;
  const palette = request.background === 'light' ? lightPalette(s.palette) : s.palette;
  return answerSnapshot(request.token, {
    parts: [dom.headerTitle.parentElement!, dom.legend, dom.plot],
    background: request.background,
    themeBackground: s.palette.background,
    // The plot fills the panel's height; the picture stops below its last track.
    heightOf: (part) => (part === dom.plot && s.tracks.length > 0 ? Math.max(...s.tracks.map((t) => t.y + t.h)) + 12 : undefined),
    redraw: (canvas) => {
      if (canvas !== dom.canvas) { return undefined; }
      const out = document.createElement('canvas');
      out.width = Math.max(1, Math.round(s.cssW * IMAGE_SCALE));
      out.height = Math.max(1, Math.round(s.cssH * IMAGE_SCALE));
      const ctx = out.getContext('2d', { alpha: false })!;
      ctx.setTransform(IMAGE_SCALE, 0, 0, IMAGE_SCALE, 0, 0);
      draw(ctx, { width: s.cssW, height: s.cssH, gutter: GUTTER, vp: s.vp, runs: s.runs, tracks: s.tracks, selection: s.selection, hover: undefined, palette, shift: shifts(s) });
      return out;
    },
  }, post);
}
