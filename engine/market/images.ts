// Image keys: `p/<product id>/<n>.<ext>`, made by the upload route. Checked before touching a disk or a
// bucket, so a key from a URL can never climb out of the image directory.
const KEY = /^p\/[A-Za-z0-9-]{1,64}\/[0-9]{1,3}\.(jpg|png|webp|gif)$/;

export const EXT_TYPES = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;
export type ImageExt = keyof typeof EXT_TYPES;

export function validKey(key: string): boolean {
  return KEY.test(key);
}

export function typeOfKey(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1) as ImageExt;
  return EXT_TYPES[ext] ?? 'application/octet-stream';
}

export function imageKey(product: string, n: number, ext: ImageExt): string {
  return `p/${product}/${n}.${ext}`;
}
