// The marketplace's codes: uploads and the catalogue.
import type { ErrorFragment } from '../error-info.ts';

export const MARKET_ERRORS = {
  IMAGE_INVALID: { status: 415, socket: 'error', message: 'an upload is not a JPEG, PNG, WebP or GIF image' },
  TOO_MANY_FILES: { status: 413, socket: 'error', message: 'too many files in one upload' },
  TOO_MANY_UPLOADS: { status: 429, socket: 'error', message: 'this user has as many uploads in progress as allowed; retry when one has finished', retryable: true },
  UPLOADS_BUSY: { status: 503, socket: 'error', message: 'the server is taking as many uploads as it can; retry shortly', retryable: true },
} as const satisfies ErrorFragment;
