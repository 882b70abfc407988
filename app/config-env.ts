// What every configuration section is built from: zod helpers for environment variables, and the shape
// of a section (its variables and how it reads them). app/config.ts merges the sections into one schema
// (a variable declared by two sections stops the server at start) and reports every problem at once.
import { z } from 'zod';

export const HTTP_URL = /^https?:\/\/\S+$/;

/** An integer variable with a default and its bounds. */
export const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** A section's variables: name -> schema (with its default). */
export type EnvShape = Record<string, z.ZodType>;

/** The parsed variables of a shape. */
export type EnvOf<S extends EnvShape> = z.output<z.ZodObject<S>>;

export function parsesAsUrl(s: string): boolean {
  try {
    return new URL(s).hostname !== '';
  } catch {
    return false;
  }
}
