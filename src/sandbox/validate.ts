// Body field checks: each throws a 400 naming the field and what it expects.
import { HttpError } from './errors.js';

export type Body = Record<string, unknown>;

/** Parses a request body that must be one JSON object. */
export function parseBody(raw: string): Body {
  if (raw.trim() === '') throw new HttpError(400, 'Request body must be a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new HttpError(400, `Malformed JSON body: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'Request body must be a JSON object');
  }
  return value as Body;
}

function bad(message: string): never {
  throw new HttpError(400, message);
}

export function requiredText(body: Body, key: string): string {
  const v = body[key];
  if (v === undefined || v === null) bad(`${key} is required`);
  if (typeof v !== 'string') bad(`${key} must be a string`);
  if (v.trim() === '') bad(`${key} must not be empty`);
  return v.trim();
}

export function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') bad(`${key} must be a string`);
  return v;
}

export function optionalBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') bad(`${key} must be true or false`);
  return v;
}

export function optionalEnum<T extends string>(
  body: Body,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = body[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    bad(`${key} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function price(body: Body): number {
  const v = body.price;
  if (v === undefined || v === null) bad('price is required');
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad('price must be a number ≥ 0');
  return v;
}

/** A non-negative integer, or null (no threshold). */
export function optionalCount(body: Body, key: string): number | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(`${key} must be an integer ≥ 0`);
  return v;
}

/** The `stock` of a stock add: required, a string. Emptiness is judged after parsing. */
export function stockText(body: Body): string {
  const v = body.stock;
  if (v === undefined || v === null) bad('stock is required: newline-separated serials');
  if (typeof v !== 'string') bad('stock must be a string of newline-separated serials');
  return v;
}

/** `?limit` on GET /orders: an integer 1–200, default 50. */
export function limitParam(raw: string | null): number {
  if (raw === null) return 50;
  if (!/^\d+$/.test(raw)) bad('limit must be an integer from 1 to 200');
  const n = Number(raw);
  if (n < 1 || n > 200) bad('limit must be an integer from 1 to 200');
  return n;
}
