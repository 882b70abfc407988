// The marketplace's codes: uploads and the catalogue.
import type { ErrorFragment } from '../error-info.ts';

export const MARKET_ERRORS = {
  IMAGE_INVALID: { status: 415, socket: 'error', message: 'an upload is not a JPEG, PNG, WebP or GIF image' },
  TOO_MANY_FILES: { status: 413, socket: 'error', message: 'too many files in one upload' },
} as const satisfies ErrorFragment;
