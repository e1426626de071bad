#!/usr/bin/env node
// Draws apisify's icons from shapes and writes them as PNG files under build/icons/:
//   tray/<state>.png (16 px) and tray/<state>@2x.png (32 px) for running, paused and error;
//   app/<n>x<n>.png from 16 to 1024 px (electron-builder makes .icns and .ico from the large ones).
// Run `node scripts/make-icons.mjs` after changing a shape or colour; the PNGs are committed output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icons');
/** Samples per pixel side: 4x4 samples give smooth edges without an antialiasing library. */
const SUPERSAMPLING = 4;

// ---- PNG encoding (RGBA, 8 bits per channel, no interlace) ----

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  const stride = size * 4;
  const scanlines = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    scanlines[y * (stride + 1)] = 0; // filter: none
    rgba.copy(scanlines, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes as signed distances in a unit square (0..1, y down): negative inside ----

const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;

const roundedBox = (cx, cy, halfWidth, halfHeight, radius) => (x, y) => {
  const qx = Math.abs(x - cx) - halfWidth + radius;
  const qy = Math.abs(y - cy) - halfHeight + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
};

/** A stroke of width 2r along the segment a-b, with round ends. */
const capsule = (ax, ay, bx, by, r) => (x, y) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - r;
};

/** Inside-ness only (the sign is all the sampler needs): negative inside the triangle. */
const triangle = (points) => (x, y) => {
  const side = (i) => {
    const [ax, ay] = points[i];
    const [bx, by] = points[(i + 1) % 3];
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  };
  const s = [side(0), side(1), side(2)];
  return s.every((v) => v >= 0) || s.every((v) => v <= 0) ? -1 : 1;
};

const union = (...shapes) => (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));

/**
 * Renders layers (painted in order, later over earlier) at `size` px. A layer is
 * { shape, color } where color is [r, g, b] or a function (x, y) => [r, g, b].
 */
function render(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = SUPERSAMPLING * SUPERSAMPLING;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLING) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLING) / size;
          let color = null;
          for (const layer of layers) {
            if (layer.shape(x, y) <= 0) color = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
          }
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            covered += 1;
          }
        }
      }
      const offset = (py * size + px) * 4;
      // Colour averaged over the covered samples only, so edges fade out instead of darkening.
      if (covered > 0) {
        rgba[offset] = Math.round(r / covered);
        rgba[offset + 1] = Math.round(g / covered);
        rgba[offset + 2] = Math.round(b / covered);
      }
      rgba[offset + 3] = Math.round((255 * covered) / samples);
    }
  }
  return rgba;
}

// ---- The icons ----

const WHITE = [255, 255, 255];
export const TRAY_COLORS = {
  running: [45, 164, 78], // green: orders flow
  paused: [191, 135, 0], // amber: up, but refusing orders
  error: [207, 34, 46], // red: something needs the user
};

/** Each state has its own glyph as well as its own colour, so it reads without colour vision too. */
// Edges sit on whole pixels of the 16 px grid (multiples of 1/16), so the small icons stay crisp.
const TRAY_GLYPHS = {
  running: triangle([
    [6 / 16, 4.5 / 16],
    [6 / 16, 11.5 / 16],
    [11.5 / 16, 8 / 16],
  ]),
  paused: union(roundedBox(6 / 16, 0.5, 1 / 16, 3 / 16, 0.01), roundedBox(10 / 16, 0.5, 1 / 16, 3 / 16, 0.01)),
  error: union(roundedBox(0.5, 6 / 16, 1 / 16, 3 / 16, 0.01), roundedBox(0.5, 11 / 16, 1 / 16, 1 / 16, 0.02)),
};

function trayIcon(state, size) {
  return render(size, [
    { shape: circle(0.5, 0.5, 0.47), color: TRAY_COLORS[state] },
    { shape: TRAY_GLYPHS[state], color: WHITE },
  ]);
}

/** Deep blue to bright blue, top-left to bottom-right. */
function appBackground(x, y) {
  const t = Math.min(1, Math.max(0, (x + y) / 2));
  const from = [11, 31, 58];
  const to = [31, 111, 235];
  return from.map((channel, i) => Math.round(channel + (to[i] - channel) * t));
}

/** A rising line ending in an arrowhead: signals in, orders out. */
function appIcon(size) {
  const stroke = 0.045;
  const line = union(capsule(0.2, 0.7, 0.4, 0.5, stroke), capsule(0.4, 0.5, 0.53, 0.61, stroke), capsule(0.53, 0.61, 0.7, 0.42, stroke));
  // Square to the last stroke's direction, its tip further along it.
  const head = triangle([
    [0.79, 0.32],
    [0.626, 0.353],
    [0.774, 0.487],
  ]);
  return render(size, [
    { shape: roundedBox(0.5, 0.5, 0.46, 0.46, 0.1), color: appBackground },
    { shape: union(line, head), color: WHITE },
  ]);
}

function write(relativePath, size, rgba) {
  const path = join(OUT_DIR, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(size, rgba));
  return path;
}

export function makeIcons() {
  const written = [];
  for (const state of Object.keys(TRAY_COLORS)) {
    written.push(write(`tray/${state}.png`, 16, trayIcon(state, 16)));
    written.push(write(`tray/${state}@2x.png`, 32, trayIcon(state, 32)));
  }
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    written.push(write(`app/${size}x${size}.png`, size, appIcon(size)));
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of makeIcons()) console.log(path);
}
