// File stores for bank-transfer files: disk under a directory (DATA_DIR/settlement), or memory.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../ports.ts';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

function checked(key: string): string {
  if (!KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.')) throw new TypeError(`file key ${JSON.stringify(key)} is not valid`);
  return key;
}

export class DiskFiles implements FileStore {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, ...checked(key).split('/'));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, file); // whole or absent
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

export class MemoryFiles implements FileStore {
  readonly files = new Map<string, Buffer>();

  async put(key: string, bytes: Buffer): Promise<void> {
    this.files.set(checked(key), Buffer.from(bytes));
  }

  async get(key: string): Promise<Buffer | null> {
    const b = this.files.get(key);
    return b === undefined ? null : Buffer.from(b);
  }
}
