// Images on local disk under DATA_DIR/images, served by the app itself (the embedded default). A file is
// streamed to a temporary name and renamed, so a reader never sees half an image.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageStore } from '../ports.ts';
import { exactly } from './exact.ts';
import { typeOfKey, validKey } from '../../../engine/market/images.ts';

export class DiskImages implements ImageStore {
  constructor(private readonly dir: string, private readonly baseUrl: string) {}

  private file(key: string): string {
    if (!validKey(key)) throw new TypeError(`image key ${JSON.stringify(key)} is not valid`);
    return path.join(this.dir, ...key.split('/'));
  }

  async put(key: string, body: Readable, length: number, _type?: string): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await pipeline(body, exactly(length, key), createWriteStream(tmp));
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  url(key: string): string {
    return `${this.baseUrl}/${key}`;
  }

  async get(key: string): Promise<{ bytes: Buffer; type: string } | null> {
    if (!validKey(key)) return null;
    try {
      return { bytes: await readFile(this.file(key)), type: typeOfKey(key) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
