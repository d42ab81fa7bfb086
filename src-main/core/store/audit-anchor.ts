/**
 * The audit chain's head kept outside the database. A hash chain shows an edited or deleted
 * entry, but a chain cut off at the end is still a valid chain; the anchor remembers how long
 * the chain was, and its last hash, when the kiosk last found it intact, so cutting or
 * rewriting entries that existed then is caught. The anchor is sealed with the template cipher
 * (AES-256-GCM, key in the OS keychain or the 0600 key file): it cannot be forged without the key.
 * Limits: replacing the database AND the anchor with older copies of both (a rollback) is not
 * detected, and entries written after the last anchoring can be cut unseen until the next one.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditLog, AuditVerification } from './audit-log.js';
import type { TemplateCipher } from './template-cipher.js';

const AAD = 'kiosk-audit-anchor-v1';

export interface AuditAnchorState {
  readonly entries: number;
  readonly head: string;
}

/** The chain's own verification, or what the anchor shows that the chain alone cannot. */
export type AuditIntegrity =
  | AuditVerification
  | {
      readonly ok: false;
      readonly reason: 'truncated' | 'rewritten' | 'anchor_forged' | 'anchor_missing';
      /** The anchored entry whose hash changed ('rewritten'). */
      readonly brokenAt?: number;
      /** Entries the anchor knew of and the database no longer has ('truncated'). */
      readonly missing?: number;
    };

export class AuditAnchor {
  constructor(
    readonly path: string,
    private readonly cipher: TemplateCipher,
  ) {}

  /** The last anchored state; null when there is no anchor file; 'forged' when it does not open. */
  read(): AuditAnchorState | null | 'forged' {
    let sealed: Uint8Array;
    try {
      sealed = readFileSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const state = JSON.parse(Buffer.from(this.cipher.open(sealed, AAD)).toString('utf8')) as AuditAnchorState;
      return Number.isSafeInteger(state.entries) && state.entries >= 0 && /^[0-9a-f]{64}$/.test(state.head) ? state : 'forged';
    } catch {
      return 'forged';
    }
  }

  /** Atomically replaces the anchor (temporary file + rename), readable by the owner only. */
  write(state: AuditAnchorState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, this.cipher.seal(Buffer.from(JSON.stringify(state), 'utf8'), AAD), { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

/**
 * Verifies the chain and compares it with the anchor; when both hold, moves the anchor to the
 * chain's current head. A failed check leaves the anchor as it was, as evidence.
 */
export function checkAuditIntegrity(audit: AuditLog, anchor: AuditAnchor): AuditIntegrity {
  const chain = audit.verify();
  if (!chain.ok) return chain;
  const anchored = anchor.read();
  if (anchored === 'forged') return { ok: false, reason: 'anchor_forged' };
  if (anchored === null && chain.entries > 0) return { ok: false, reason: 'anchor_missing' };
  if (anchored !== null && anchored !== undefined) {
    if (chain.entries < anchored.entries) return { ok: false, reason: 'truncated', missing: anchored.entries - chain.entries };
    if (audit.hashOf(anchored.entries) !== anchored.head) return { ok: false, reason: 'rewritten', brokenAt: anchored.entries };
  }
  anchor.write({ entries: chain.entries, head: chain.head });
  return { ok: true, entries: chain.entries, head: chain.head };
}
