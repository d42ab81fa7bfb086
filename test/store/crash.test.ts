import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src-main/core/store/audit-log.js';
import { openDatabase } from '../../src-main/core/store/database.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from './helpers.js';

const WRITER = join(repoRoot, 'test/store/fixtures/ack-writer.ts');

/** Runs the writer until it has acknowledged `acks` events plus a random few more, then SIGKILLs it. */
function runAndKill(dbPath: string, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dbPath], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    const killAt = acks + Math.floor(Math.random() * 50);
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // a partial line was not fully acknowledged yet
      for (const line of lines) acknowledged.push(Number(line));
      if (acknowledged.length >= killAt && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

describe('durability under SIGKILL', () => {
  it('keeps every acknowledged event and a sound file across repeated kills mid-stream', async () => {
    const dbPath = join(tempDir(), 'kiosk.db');
    const everyAck: number[] = [];
    for (let round = 0; round < 3; round++) {
      const acked = await runAndKill(dbPath, 100);
      expect(acked.length).toBeGreaterThanOrEqual(100);
      everyAck.push(...acked);
      // No clean close happened: the WAL is still there for recovery to replay.
      expect(existsSync(`${dbPath}-wal`)).toBe(true);

      const db = openDatabase(dbPath);
      expect(db.checkIntegrity()).toEqual({ ok: true, messages: ['ok'] });
      const stored = new Set(
        (db.connection.prepare('SELECT id FROM attendance_events').all() as { id: number }[]).map((row) => row.id),
      );
      const missing = everyAck.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // Event and audit entry commit together, so the chain is whole and as long as the events.
      expect(new AuditLog(db).verify()).toEqual(expect.objectContaining({ ok: true, entries: stored.size }));
      db.close();
    }
  }, 120_000);
});
