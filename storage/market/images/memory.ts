// Images in memory: tests, and the reference of the image store contract.
import type { Readable } from 'node:stream';
import type { ImageStore } from '../ports.ts';
import { collect } from './exact.ts';

export class MemoryImages implements ImageStore {
  private readonly files = new Map<string, { bytes: Buffer; type: string }>();

  constructor(private readonly baseUrl = '/api/v1/images') {}

  async put(key: string, body: Readable, length: number, type: string): Promise<void> {
    this.files.set(key, { bytes: await collect(body, length, key), type });
  }

  url(key: string): string {
    return `${this.baseUrl}/${key}`;
  }

  async get(key: string): Promise<{ bytes: Buffer; type: string } | null> {
    return this.files.get(key) ?? null;
  }

  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
}
