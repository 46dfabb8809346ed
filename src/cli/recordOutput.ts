// Where `record` writes, checked before it connects. A recording that cannot be stored must
// fail in the first second, not after an hour of traffic (#13: a directory or a missing
// folder as --out lost the whole recording at the end). An existing file is kept unless the
// user said --force: a recorder that silently replaced last night's capture would lose it.
import * as fs from 'fs';
import * as path from 'path';

export class OutputError extends Error {}

/** The trace file to come. `discard()` removes it again if nothing was ever written to it. */
export interface ReservedOutput {
  readonly filePath: string;
  discard(): Promise<void>;
}

/**
 * Checks that `filePath` can be written and reserves it: a new file is created empty now (the
 * one test that proves the folder takes files, even as root or on a read-only mount), and the
 * recorder's writer later opens it again. An existing regular file is only accepted with
 * `force`, and left as it is until the login worked, so a refused login loses nothing.
 */
export async function reserveOutput(filePath: string, force: boolean): Promise<ReservedOutput> {
  const existing = await statOrUndefined(filePath);
  if (existing?.isDirectory()) throw new OutputError(`--out ${filePath} is a directory; name a file in it, e.g. ${path.join(filePath, 'capture.nkmtrace')}`);
  if (existing && !existing.isFile()) throw new OutputError(`--out ${filePath} exists and is not a regular file (a FIFO, socket or device); name a file`);
  if (existing && !force) throw new OutputError(`${filePath} already exists; use --force to overwrite it, or name another file`);
  if (existing) {
    await access(filePath, fs.constants.W_OK, `no permission to overwrite ${filePath}`);
    return { filePath, discard: async () => undefined };
  }

  const folder = path.dirname(path.resolve(filePath));
  const parent = await statOrUndefined(folder);
  if (!parent) throw new OutputError(`cannot write ${filePath}: the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw new OutputError(`cannot write ${filePath}: ${folder} is not a folder`);
  let handle: fs.promises.FileHandle;
  try {
    // 'wx': created by us, now; never someone else's file that appeared since the check.
    handle = await fs.promises.open(filePath, 'wx');
  } catch (error) {
    throw new OutputError(`cannot write ${filePath}: ${describe(error)}`);
  }
  await handle.close();
  return {
    filePath,
    discard: async () => {
      // Only the empty file made here: once the writer has written a header, it is a trace.
      const now = await statOrUndefined(filePath);
      if (now?.isFile() && now.size === 0) await fs.promises.rm(filePath, { force: true });
    },
  };
}

async function statOrUndefined(filePath: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new OutputError(`cannot write ${filePath}: a part of its path is a file, not a folder`);
    throw new OutputError(`cannot write ${filePath}: ${describe(error)}`);
  }
}

async function access(filePath: string, mode: number, message: string): Promise<void> {
  try {
    await fs.promises.access(filePath, mode);
  } catch {
    throw new OutputError(message);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'no permission to create files in its folder';
    case 'EROFS':
      return 'its folder is on a read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EEXIST':
      return 'it appeared while checking; use --force to overwrite it';
    default:
      return (error as Error).message;
  }
}
