/**
 * Moves fMP4 media segments along the timeline: a chunk of a long lecture is encoded with
 * timestamps from 0 (so its init segment is byte-identical to every other chunk's) and
 * joining shifts each of its segments by the chunk's start. Only the boxes that carry
 * times are touched: `tfdt` (the fragment's base decode time) and `sidx` (the earliest
 * presentation time); sample durations and composition offsets are relative and stay.
 */

interface Box {
  type: string;
  /** Offset of the box's content (after its header). */
  start: number;
  end: number;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'moof', 'traf']);

function* boxesIn(data: Buffer, from: number, to: number): Generator<Box> {
  let offset = from;
  while (offset + 8 <= to) {
    let size = data.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      size = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) throw new Error(`malformed MP4 box at byte ${offset}`);
    yield { type: data.toString('latin1', offset + 4, offset + 8), start: offset + header, end: offset + size };
    offset += size;
  }
}

function findAll(data: Buffer, from: number, to: number, path: readonly string[]): Box[] {
  const [head, ...rest] = path;
  const found: Box[] = [];
  for (const box of boxesIn(data, from, to)) {
    if (box.type !== head) continue;
    if (rest.length === 0) found.push(box);
    else if (CONTAINERS.has(box.type)) found.push(...findAll(data, box.start, box.end, rest));
  }
  return found;
}

/** Track id -> media timescale (ticks per second), from an init segment's moov. */
export function readTrackTimescales(init: Buffer): Map<number, number> {
  const timescales = new Map<number, number>();
  for (const trak of findAll(init, 0, init.length, ['moov', 'trak'])) {
    const tkhd = findAll(init, trak.start, trak.end, ['tkhd'])[0];
    const mdhd = findAll(init, trak.start, trak.end, ['mdia', 'mdhd'])[0];
    if (!tkhd || !mdhd) throw new Error('init segment track without tkhd or mdhd');
    const trackId = init.readUInt32BE(tkhd.start + (init[tkhd.start] === 1 ? 20 : 12));
    const timescale = init.readUInt32BE(mdhd.start + (init[mdhd.start] === 1 ? 20 : 12));
    timescales.set(trackId, timescale);
  }
  if (timescales.size === 0) throw new Error('init segment has no tracks');
  return timescales;
}

export interface FragmentTime {
  trackId: number;
  /** tfdt in the track's timescale. */
  baseDecodeTime: bigint;
}

/** The tfdt of every track fragment in a media segment, in file order. */
export function readFragmentTimes(segment: Buffer): FragmentTime[] {
  return findAll(segment, 0, segment.length, ['moof', 'traf']).map((traf) => {
    const tfhd = findAll(segment, traf.start, traf.end, ['tfhd'])[0];
    const tfdt = findAll(segment, traf.start, traf.end, ['tfdt'])[0];
    if (!tfhd || !tfdt) throw new Error('track fragment without tfhd or tfdt');
    return { trackId: segment.readUInt32BE(tfhd.start + 4), baseDecodeTime: readVersionedTime(segment, tfdt.start, 4) };
  });
}

/**
 * Returns a copy of the segment with every time moved `offsetSeconds` later. The offset
 * must be a whole number of ticks of every timescale (chunks start on whole seconds).
 */
export function shiftSegmentTimes(segment: Buffer, timescales: ReadonlyMap<number, number>, offsetSeconds: number): Buffer {
  const out = Buffer.from(segment);
  const ticks = (timescale: number) => {
    const value = offsetSeconds * timescale;
    if (!Number.isInteger(value)) throw new Error(`offset ${offsetSeconds} s is not a whole number of 1/${timescale} s ticks`);
    return BigInt(value);
  };
  for (const traf of findAll(out, 0, out.length, ['moof', 'traf'])) {
    const tfhd = findAll(out, traf.start, traf.end, ['tfhd'])[0];
    const tfdt = findAll(out, traf.start, traf.end, ['tfdt'])[0];
    if (!tfhd || !tfdt) throw new Error('track fragment without tfhd or tfdt');
    const timescale = timescales.get(out.readUInt32BE(tfhd.start + 4));
    if (timescale === undefined) throw new Error('segment names a track the init segment lacks');
    writeVersionedTime(out, tfdt.start, 4, readVersionedTime(out, tfdt.start, 4) + ticks(timescale));
  }
  for (const sidx of findAll(out, 0, out.length, ['sidx'])) {
    // version/flags, reference_ID, timescale, then earliest_presentation_time.
    const timescale = out.readUInt32BE(sidx.start + 8);
    writeVersionedTime(out, sidx.start, 12, readVersionedTime(out, sidx.start, 12) + ticks(timescale));
  }
  return out;
}

/** Reads a full box's 32-bit (version 0) or 64-bit (version 1) time at `at` bytes into it. */
function readVersionedTime(data: Buffer, boxStart: number, at: number): bigint {
  return data[boxStart] === 1 ? data.readBigUInt64BE(boxStart + at) : BigInt(data.readUInt32BE(boxStart + at));
}

function writeVersionedTime(data: Buffer, boxStart: number, at: number, value: bigint): void {
  if (data[boxStart] === 1) {
    data.writeBigUInt64BE(value, boxStart + at);
    return;
  }
  if (value > 0xffffffffn) throw new Error('shifted time no longer fits a version 0 box');
  data.writeUInt32BE(Number(value), boxStart + at);
}
