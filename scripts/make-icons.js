#!/usr/bin/env node
// Draws the two Teams app icons into appPackage/:
//   color.png   192x192, full colour, opaque (RGB): a white shield with a check mark on the accent colour
//   outline.png  32x32, white on a transparent background (RGBA): the same shield, check mark cut out
// Only node:zlib, node:fs and node:path: the PNG chunks are written here, so nothing has to be installed.
// Run: node scripts/make-icons.js   (the output is deterministic; commit the PNGs)
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const OUT_DIR = path.resolve(__dirname, '..', 'appPackage');

// Keep in sync with "accentColor" in appPackage/manifest.json.
const ACCENT = [0x1b, 0x4f, 0x72];
const WHITE = [0xff, 0xff, 0xff];
const MIST = [0xd6, 0xe4, 0xf0]; // the right half of the shield on the colour icon

// ---------------------------------------------------------------------------------------------
// Geometry in unit coordinates (0..1, origin top-left), scaled per icon by a box.

/** Heater shield: straight top with rounded corners, straight sides, curved flanks meeting in a point. */
function inShield(u, v) {
  const top = 0.0;
  const shoulder = 0.42; // where the sides start to curve in
  const bottom = 1.0;
  const half = 0.5;
  const dx = Math.abs(u - 0.5);
  if (v < top || v > bottom) return false;
  if (v <= shoulder) {
    // round the two top corners with radius r
    const r = 0.12;
    if (dx > half) return false;
    if (v < top + r && dx > half - r) {
      const cx = half - r;
      const cy = top + r;
      return (dx - cx) ** 2 + (v - cy) ** 2 <= r * r;
    }
    return true;
  }
  const t = (v - shoulder) / (bottom - shoulder);
  return dx <= half * (1 - t * t);
}

function distToSegment(px, py, ax, ay, bx, by) {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
  const qx = ax + t * vx - px;
  const qy = ay + t * vy - py;
  return Math.sqrt(qx * qx + qy * qy);
}

/** Check mark as a thick two-segment polyline with round ends, in the shield's unit box. */
function inCheck(u, v, width) {
  const a = [0.27, 0.47];
  const b = [0.44, 0.64];
  const c = [0.74, 0.32];
  const half = width / 2;
  return (
    distToSegment(u, v, a[0], a[1], b[0], b[1]) <= half ||
    distToSegment(u, v, b[0], b[1], c[0], c[1]) <= half
  );
}

// ---------------------------------------------------------------------------------------------
// Rasterising with 4x4 supersampling.

const SS = 4;

/**
 * Renders an icon. `shade(u, v)` receives unit coordinates of the icon and returns [r, g, b, a]
 * (a in 0..1) for one subsample; the subsamples are averaged with premultiplied alpha.
 */
function render(size, channels, shade) {
  const px = Buffer.alloc(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (x + (sx + 0.5) / SS) / size;
          const v = (y + (sy + 0.5) / SS) / size;
          const [cr, cg, cb, ca] = shade(u, v);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const n = SS * SS;
      const o = (y * size + x) * channels;
      const alpha = a / n;
      // un-premultiply; fully transparent pixels stay white (Teams wants white or transparent in outline icons)
      const un = (sum) => (a > 0 ? Math.round(sum / a) : 255);
      px[o] = un(r);
      px[o + 1] = un(g);
      px[o + 2] = un(b);
      if (channels === 4) px[o + 3] = Math.round(alpha * 255);
    }
  }
  return px;
}

/** Maps icon coordinates into the shield's unit box (x0, y0, w, h in icon units). */
function boxed(box, u, v) {
  return [(u - box.x0) / box.w, (v - box.y0) / box.h];
}

// ---------------------------------------------------------------------------------------------
// PNG encoding (signature, IHDR, one IDAT, IEND; filter type 0 on every row).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(size, channels, pixels) {
  const colorType = channels === 4 ? 6 : 2; // 6 = truecolour with alpha, 2 = truecolour
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); // width
  ihdr.writeUInt32BE(size, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = colorType;
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = size * channels;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The two icons.

function colorIcon() {
  const size = 192;
  // The shield sits in the middle ~60 % of the square, leaving the accent colour as a margin.
  const box = { x0: 0.23, y0: 0.18, w: 0.54, h: 0.66 };
  return encodePng(
    size,
    3,
    render(size, 3, (u, v) => {
      const [su, sv] = boxed(box, u, v);
      if (!inShield(su, sv)) return [...ACCENT, 1];
      if (inCheck(su, sv, 0.13)) return [...ACCENT, 1];
      return [...(su < 0.5 ? WHITE : MIST), 1];
    }),
  );
}

function outlineIcon() {
  const size = 32;
  // 2 px of transparent margin left and right, 1.5 px top and bottom.
  const box = { x0: 4 / 32, y0: 1.5 / 32, w: 24 / 32, h: 29 / 32 };
  return encodePng(
    size,
    4,
    render(size, 4, (u, v) => {
      const [su, sv] = boxed(box, u, v);
      const on = inShield(su, sv) && !inCheck(su, sv, 0.16);
      return [...WHITE, on ? 1 : 0];
    }),
  );
}

function main() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const files = { 'color.png': colorIcon(), 'outline.png': outlineIcon() };
  for (const [name, data] of Object.entries(files)) {
    fs.writeFileSync(path.join(OUT_DIR, name), data);
    console.log(`wrote appPackage/${name} (${data.length} bytes)`);
  }
}

if (require.main === module) main();

module.exports = { encodePng, crc32 };
