/**
 * Typed settings over the key/value `settings` table. Each key has a zod schema and a default;
 * an unset key reads as its default. A stored value that no longer fits its schema (the schema
 * was tightened in a newer version) also reads as the default, so an upgrade never leaves the
 * kiosk unable to start over one stale setting.
 */
import type { z } from 'zod';
import { KioskError } from '../errors.js';
import type { KioskDatabase } from './database.js';
import { canonicalJson } from './canonical-json.js';
import { toIsoTime } from './validate.js';

export interface SettingSpec<T> {
  readonly schema: z.ZodType<T>;
  readonly default: T;
}

export type SettingsSpec<S> = { readonly [K in keyof S]: SettingSpec<S[K]> };

export class SettingsRepository<S extends Record<string, unknown>> {
  constructor(
    private readonly db: KioskDatabase,
    private readonly spec: SettingsSpec<S>,
  ) {}

  /** INVALID_INPUT for a key the spec does not define. */
  get<K extends keyof S & string>(key: K): S[K] {
    const setting = this.specFor(key);
    const row = this.db.connection.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (row === undefined) return setting.default;
    const parsed = setting.schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : setting.default;
  }

  /** Every defined key with its current value. */
  getAll(): S {
    const entries = Object.keys(this.spec).map((key) => [key, this.get(key as keyof S & string)]);
    return Object.fromEntries(entries) as S;
  }

  /** INVALID_INPUT (with the schema's message) for an unknown key or a value its schema refuses. */
  set<K extends keyof S & string>(key: K, value: S[K]): void {
    const parsed = this.specFor(key).schema.safeParse(value);
    if (!parsed.success) {
      throw new KioskError('INVALID_INPUT', `setting ${key}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`, {
        field: key,
      });
    }
    this.db.connection
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, canonicalJson(parsed.data, key), toIsoTime('now', this.db.now()));
  }

  /** Back to the default. */
  reset<K extends keyof S & string>(key: K): void {
    this.specFor(key);
    this.db.connection.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  private specFor<K extends keyof S & string>(key: K): SettingSpec<S[K]> {
    if (typeof key !== 'string' || !Object.hasOwn(this.spec, key)) {
      throw new KioskError('INVALID_INPUT', `unknown setting ${String(key)}`, { field: String(key) });
    }
    return this.spec[key];
  }
}
