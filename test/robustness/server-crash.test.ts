/**
 * Crash safety of the whole server: `kiosk serve` (a real process with the real models and a
 * real database file) is SIGKILLed, three times, in the middle of a stream of PIN clock-ins and
 * enrollments (employee + PIN, consent, face shots) sent over HTTP. After each kill, before the
 * next start, the database must pass `PRAGMA integrity_check`, hold every clock-in, employee,
 * consent and face template whose reply had arrived, and its audit chain must verify; the
 * server must then start again on the same file and key. (test/store/crash.test.ts does the
 * same for the store alone.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src-main/core/store/audit-log.js';
import { openDatabase } from '../../src-main/core/store/database.js';
import { base64Of, hasModels, hasWebcamPhotos, webcam } from '../attendance/kiosk-fixture.js';
import { repoRoot } from '../helpers/paths.js';
import { Prng } from './prng.js';

const ADMIN_PIN = '97531';
const ROUNDS = 3;
const PIN_STAFF = ['C0', 'C1', 'C2', 'C3'];
const SEED = Number(process.env.KIOSK_CRASH_SEED ?? 7);

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

function startServer(dbPath: string, staticDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts'), 'serve', '--port', '0', '--db', dbPath, '--static', staticDir, '--kiosk-id', 'crash'], {
    cwd: repoRoot,
    env: { ...process.env, KIOSK_ADMIN_PIN: ADMIN_PIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /Kiosk running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening: ${stderr}`)));
  });
}

function kill(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

/** The reply's value; throws (an unacknowledged request) on a network error or an error reply. */
async function post<T>(server: Server, name: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.url}api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reply = (await response.json()) as { ok: boolean; value?: T; error?: { code: string } };
  if (!reply.ok) throw new Error(`${name}: ${reply.error?.code}`);
  return reply.value as T;
}

/** What the server acknowledged: a reply arrived, so it must survive the kill. */
interface Acknowledged {
  readonly punches: string[];
  readonly employees: Set<string>;
  readonly consents: Set<string>;
  faceTemplates: number;
}

const punchKey = (employeeId: number, direction: string, at: string): string => `${employeeId}|${direction}|${at}`;

describe.skipIf(!hasModels)('SIGKILL of the server during clock-ins and enrollments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-server-crash-'));
  const dbPath = join(dir, 'data', 'kiosk.db');
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  let running: Server | undefined;
  afterAll(async () => {
    if (running) await kill(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a sound database with every acknowledged write, and restarts on it, after each of three kills', async () => {
    const rng = new Prng(SEED);
    const acked: Acknowledged = { punches: [], employees: new Set(), consents: new Set(), faceTemplates: 0 };
    const photos = hasWebcamPhotos ? [base64Of(webcam('obama.jpg')), base64Of(webcam('obama2.jpg'))] : [];
    let faceEmployee = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const server = (running = await startServer(dbPath, staticDir));
      // Sessions do not survive a restart: sign in again each round.
      const { token } = await post<{ token: string }>(server, 'admin.login', { pin: ADMIN_PIN });
      if (round === 0) {
        await post(server, 'admin.settings.set', { token, settings: { debounceMinutes: 0 } });
        for (const [i, code] of PIN_STAFF.entries()) {
          await post(server, 'admin.employees.create', { token, code, name: `Clock ${i}`, pin: `${4000 + i}` });
          acked.employees.add(code);
        }
        if (photos.length > 0) {
          faceEmployee = (await post<{ employee: { id: number } }>(server, 'admin.employees.create', { token, code: 'FACE', name: 'Barack Obama' })).employee.id;
          await post(server, 'admin.employees.consent', { token, employeeId: faceEmployee, textVersion: 'v1' });
        }
      }

      let stop = false;
      const clockIns = async (): Promise<void> => {
        while (!stop) {
          const i = rng.int(PIN_STAFF.length);
          try {
            const result = await post<{ outcome: string; event: { employee: { id: number }; direction: string; at: string } }>(server, 'clock.pin', { code: PIN_STAFF[i], pin: `${4000 + i}` });
            if (result.outcome === 'recorded') acked.punches.push(punchKey(result.event.employee.id, result.event.direction, result.event.at));
          } catch {
            return; // the server is gone
          }
        }
      };
      const enrollments = async (): Promise<void> => {
        for (let i = 0; !stop; i++) {
          try {
            const code = `R${round}-${i}`;
            const { employee } = await post<{ employee: { id: number } }>(server, 'admin.employees.create', { token, code, name: `신입 ${round}-${i}`, pin: '2468' });
            acked.employees.add(code);
            await post(server, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
            acked.consents.add(code);
            if (photos.length > 0) {
              const shot = await post<{ employee: { faceTemplates: number } }>(server, 'admin.enroll.face', { token, employeeId: faceEmployee, image: photos[i % photos.length], pose: 'front' });
              acked.faceTemplates = Math.max(acked.faceTemplates, shot.employee.faceTemplates);
            }
          } catch {
            return;
          }
        }
      };
      const streams = Promise.all([clockIns(), clockIns(), enrollments()]);
      // Kill mid-stream: once this round has some of everything acknowledged, after a random extra delay.
      const start = { punches: acked.punches.length, employees: acked.employees.size };
      const deadline = Date.now() + 60_000;
      while ((acked.punches.length < start.punches + 6 || acked.employees.size < start.employees + 2) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, rng.int(400)));
      await kill(server);
      stop = true;
      await streams;
      expect(acked.punches.length, 'punches acknowledged in this round').toBeGreaterThanOrEqual(start.punches + 6);

      const db = openDatabase(dbPath);
      try {
        expect(db.checkIntegrity()).toEqual({ ok: true, messages: ['ok'] });
        const stored = (db.connection.prepare('SELECT employee_id, direction, occurred_at FROM attendance_events').all() as { employee_id: number; direction: string; occurred_at: string }[]).map(
          (row) => punchKey(row.employee_id, row.direction, row.occurred_at),
        );
        const remaining = new Map<string, number>();
        for (const key of stored) remaining.set(key, (remaining.get(key) ?? 0) + 1);
        const missing = acked.punches.filter((key) => {
          const left = remaining.get(key) ?? 0;
          remaining.set(key, left - 1);
          return left <= 0;
        });
        expect(missing).toEqual([]);
        const codes = new Set((db.connection.prepare('SELECT code FROM employees').all() as { code: string }[]).map((r) => r.code));
        expect([...acked.employees].filter((code) => !codes.has(code))).toEqual([]);
        const consented = new Set(
          (db.connection.prepare('SELECT e.code FROM consents c JOIN employees e ON e.id = c.employee_id').all() as { code: string }[]).map((r) => r.code),
        );
        expect([...acked.consents].filter((code) => !consented.has(code))).toEqual([]);
        const faceRows = (db.connection.prepare("SELECT count(*) AS n FROM biometric_templates WHERE employee_id = ? AND modality = 'face'").get(faceEmployee) as { n: number }).n;
        expect(faceRows).toBeGreaterThanOrEqual(acked.faceTemplates);
        expect(new AuditLog(db).verify().ok).toBe(true);
      } finally {
        db.close();
      }
    }
    if (photos.length > 0) expect(acked.faceTemplates).toBeGreaterThan(0);
    console.info(`[crash] ${ROUNDS} kills; acknowledged and found: ${acked.punches.length} clock-ins, ${acked.employees.size} employees, ${acked.consents.size} consents, ${acked.faceTemplates} face templates`);

    // A last start on the file: it opens, decrypts the templates into its gallery, and answers.
    const server = (running = await startServer(dbPath, staticDir));
    const status = await post<{ ready: boolean; enrolled: number }>(server, 'kiosk.status', {});
    expect(status.ready).toBe(true);
    expect(status.enrolled).toBe(photos.length > 0 ? 1 : 0);
    await kill(server);
  }, 180_000);
});
