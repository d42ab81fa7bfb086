/** The benchmark's side of the face-api child process: start it, ask it one thing at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerRequest, PeerResponse } from './face-api-protocol.js';

type Reply<K extends PeerResponse['kind']> = Extract<PeerResponse, { kind: K }>;

export class FaceApiPeer {
  private pending: { resolve: (r: PeerResponse) => void; reject: (e: Error) => void } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly info: Reply<'ready'>,
  ) {}

  static async start(): Promise<FaceApiPeer> {
    const runner = join(dirname(fileURLToPath(import.meta.url)), 'face-api-runner.ts');
    const child = fork(runner, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<PeerResponse>((resolve, reject) => {
      child.once('message', (m: PeerResponse) => resolve(m));
      child.once('exit', (code) => reject(new Error(`face-api runner exited with code ${code} before it was ready`)));
    });
    if (ready.kind !== 'ready') throw new Error(`face-api runner: ${ready.kind === 'error' ? ready.message : ready.kind}`);
    const peer = new FaceApiPeer(child, ready);
    child.on('message', (m: PeerResponse) => peer.settle(m));
    child.on('exit', (code) => peer.pending?.reject(new Error(`face-api runner exited with code ${code}`)));
    return peer;
  }

  ask<K extends PeerResponse['kind']>(request: PeerRequest & { kind: K }): Promise<Reply<K>> {
    if (this.pending) throw new Error('one face-api request at a time');
    return new Promise<PeerResponse>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(request);
    }).then((response) => {
      if (response.kind === 'error') throw new Error(`face-api runner: ${response.message}`);
      if (response.kind !== request.kind) throw new Error(`face-api runner answered ${response.kind} to ${request.kind}`);
      return response as Reply<K>;
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ kind: 'exit' } satisfies PeerRequest);
    await exited;
  }

  private settle(message: PeerResponse): void {
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(message);
  }
}
