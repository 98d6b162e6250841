import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { MIN_SECRET_LENGTH } from '../main/config/fields.js';

/**
 * `<dataDir>/rpc.token`: the full-access token when the config names none. Created on first start
 * with mode 0600, exclusively (O_EXCL, so a file or symlink planted there is never written through),
 * holding 32 random bytes in base64url. A token file that others may read is tightened to 0600 and
 * reported, the way ssh treats a private key it finds too open.
 */

export const TOKEN_FILE_NAME = 'rpc.token';

export interface TokenFileResult {
  readonly token: string;
  readonly path: string;
  readonly created: boolean;
  /** Set when the file was readable by group or others and has been made 0600. */
  readonly tightenedFrom?: string;
}

export async function ensureTokenFile(dataDir: string): Promise<TokenFileResult> {
  const path = join(dataDir, TOKEN_FILE_NAME);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { token, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readTokenFile(path);
}

/** Reads an existing token file. Throws an Error naming the file (never its content) when unusable. */
export async function readTokenFile(path: string): Promise<TokenFileResult> {
  let handle;
  try {
    // NOFOLLOW: a symlink planted here could point the engine at a token someone else chose.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK); // NONBLOCK: a FIFO must not hang the start
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${path} is a symlink; remove it so a token can be created`);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${path} is not a regular file; remove it so a token can be created`);
    let tightenedFrom: string | undefined;
    if ((info.mode & 0o077) !== 0) {
      tightenedFrom = (info.mode & 0o777).toString(8).padStart(4, '0');
      await handle.chmod(0o600);
    }
    const token = (await handle.readFile('utf8')).trim();
    if (token.length < MIN_SECRET_LENGTH || /\s/.test(token)) {
      throw new Error(`${path} does not hold a usable token (one line of at least ${MIN_SECRET_LENGTH} characters, no spaces); remove it to have one created`);
    }
    return { token, path, created: false, ...(tightenedFrom === undefined ? {} : { tightenedFrom }) };
  } finally {
    await handle.close();
  }
}
