// Images on local disk under DATA_DIR/images, served by the app itself (the embedded default). A file is
// written to a temporary name and renamed, so a reader never sees half an image.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageStore } from '../market/ports.ts';
import { typeOfKey, validKey } from './keys.ts';

export class DiskImages implements ImageStore {
  constructor(private readonly dir: string, private readonly baseUrl: string) {}

  private file(key: string): string {
    if (!validKey(key)) throw new TypeError(`image key ${JSON.stringify(key)} is not valid`);
    return path.join(this.dir, ...key.split('/'));
  }

  async put(key: string, bytes: Buffer, _type?: string): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
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
