import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Checks the committed output of scripts/make-icons.mjs: what the tray, the window and electron-builder load. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ICONS = `${ROOT}build/icons/`;

interface Image {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

/** Decodes the PNGs make-icons.mjs writes: RGBA, 8 bits, every scanline with filter 0. */
function readPng(path: string): Image {
  const file = readFileSync(path);
  expect(file.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const data: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let offset = 8; offset < file.length; ) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4 + 1;
  for (let y = 0; y < height; y++) expect(raw[y * stride]).toBe(0);
  return {
    width,
    height,
    pixel: (x, y) => {
      const at = y * stride + 1 + x * 4;
      return [raw[at] ?? 0, raw[at + 1] ?? 0, raw[at + 2] ?? 0, raw[at + 3] ?? 0];
    },
  };
}

const STATES = ['running', 'paused', 'error'] as const;

function dominantHue([r, g, b]: [number, number, number, number]): 'green' | 'amber' | 'red' | 'other' {
  if (g > r && g > b) return 'green';
  if (r > 150 && g > 100 && b < 60) return 'amber';
  if (r > g * 2 && r > b * 2) return 'red';
  return 'other';
}

describe('tray icons', () => {
  it.each(STATES)('%s exists at 16 px and @2x at 32 px', (state) => {
    expect(readPng(`${ICONS}tray/${state}.png`)).toMatchObject({ width: 16, height: 16 });
    expect(readPng(`${ICONS}tray/${state}@2x.png`)).toMatchObject({ width: 32, height: 32 });
  });

  it('tells the states apart by colour: green, amber, red, on a transparent background', () => {
    const hues = STATES.map((state) => {
      const image = readPng(`${ICONS}tray/${state}@2x.png`);
      expect(image.pixel(0, 0)[3]).toBe(0);
      // A point on the disc, left of the glyph.
      return dominantHue(image.pixel(5, 16));
    });
    expect(hues).toEqual(['green', 'amber', 'red']);
  });

  it('tells the states apart by shape too, for colour-blind eyes', () => {
    const whiteMask = (state: string) => {
      const image = readPng(`${ICONS}tray/${state}@2x.png`);
      let mask = '';
      for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) mask += image.pixel(x, y).slice(0, 3).every((channel) => channel > 230) ? '1' : '0';
      return mask;
    };
    const masks = STATES.map(whiteMask);
    expect(new Set(masks).size).toBe(3);
    for (const mask of masks) expect(mask).toContain('1');
  });
});

describe('app icons', () => {
  it.each([16, 32, 48, 64, 128, 256, 512, 1024])('%i px is as large as its name says', (size) => {
    const image = readPng(`${ICONS}app/${size}x${size}.png`);
    expect([image.width, image.height]).toEqual([size, size]);
    // Opaque in the middle, transparent in the rounded-off corner.
    expect(image.pixel(size / 2, size / 2)[3]).toBe(255);
    expect(image.pixel(0, 0)[3]).toBe(0);
  });

  it('covers every icon path electron-builder.yml names', () => {
    const config = readFileSync(`${ROOT}electron-builder.yml`, 'utf8');
    const paths = [...config.matchAll(/icon: (build\/icons\/\S+)/g)].map((match) => match[1] ?? '');
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const path of paths) expect(existsSync(`${ROOT}${path}`), path).toBe(true);
  });
});
