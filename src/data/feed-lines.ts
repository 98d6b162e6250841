import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../core/errors.js';

/** One line of a recorded raw feed: `<recorder_receive_time_ns> <venue JSON, unchanged>`. */
export interface FeedLine {
  /** 1-based, as an editor shows it. */
  lineNo: number;
  recvNs: bigint;
  /** The venue's message text exactly as received; not parsed here. */
  json: string;
}

const RECV_NS = /^\d{1,20}$/;

/**
 * Reads a gzipped raw feed (data/market/SOURCES.md, "Raw feeds") into lines. Only the framing is
 * checked here; each venue's reader validates the JSON. The file's final newline is not a line.
 */
export function readFeedLines(path: string): FeedLine[] {
  const compressed = readFileSync(path);
  let text: string;
  try {
    text = gunzipSync(compressed).toString('utf8');
  } catch (error) {
    throw new ValidationError(`${path}: not a readable gzip feed (${error instanceof Error ? error.message : String(error)})`, { file: path });
  }
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  const lines: FeedLine[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const lineNo = i + 1;
    const space = row.indexOf(' ');
    const stamp = space < 0 ? row : row.slice(0, space);
    if (space < 0 || !RECV_NS.test(stamp)) {
      throw new ValidationError(`${path} line ${lineNo}: expected "<receive_time_ns> <json>", got ${JSON.stringify(row.slice(0, 40))}`, { file: path, line: lineNo });
    }
    const json = row.slice(space + 1);
    if (json[0] !== '{' && json[0] !== '[') {
      throw new ValidationError(`${path} line ${lineNo}: expected a JSON object or array after the receive time`, { file: path, line: lineNo });
    }
    lines.push({ lineNo, recvNs: BigInt(stamp), json });
  }
  return lines;
}
