/**
 * The microphone: raw Float32 PCM at the audio context's own rate, with every browser "voice
 * enhancement" off — echo cancellation, noise suppression and gain control reshape the voice
 * the encoder was trained on. Records through an AudioWorklet (ScriptProcessor where absent)
 * and reports a live level for the meter.
 */
import { DeviceError, chosenDevice, getMedia, stopStream } from './devices.js';
import { concatSamples, float32ToBase64LE, meterLevel, rms } from './pcm.js';

export interface Recording {
  pcmBase64: string;
  sampleRate: number;
  seconds: number;
  /** Loudest block RMS, to tell the user "too quiet" before the server does. */
  peakRms: number;
}

export interface RecordOptions {
  seconds: number;
  deviceId?: string | undefined;
  /** Meter level 0..1, about every 40 ms. */
  onLevel?: (level: number) => void;
  /** Seconds recorded so far, for a progress bar. */
  onProgress?: (seconds: number) => void;
  signal?: AbortSignal;
}

const WORKLET_URL = 'pcm-recorder-worklet.js';

export async function openMicrophone(deviceId: string | undefined = chosenDevice('microphone')): Promise<MediaStream> {
  const raw = { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 };
  if (deviceId) {
    try {
      return await getMedia('microphone', { video: false, audio: { ...raw, deviceId: { exact: deviceId } } });
    } catch (err) {
      if (!(err instanceof DeviceError) || err.problem !== 'not_found') throw err;
    }
  }
  return getMedia('microphone', { video: false, audio: raw });
}

export async function record(options: RecordOptions): Promise<Recording> {
  const stream = await openMicrophone(options.deviceId ?? chosenDevice('microphone'));
  let context: AudioContext | undefined;
  try {
    context = new AudioContext();
    await context.resume();
    const samples = await capture(context, stream, options);
    return {
      pcmBase64: float32ToBase64LE(samples.data),
      sampleRate: context.sampleRate,
      seconds: samples.data.length / context.sampleRate,
      peakRms: samples.peakRms,
    };
  } catch (err) {
    if (err instanceof DeviceError || (err instanceof DOMException && err.name === 'AbortError')) throw err;
    throw new DeviceError('microphone', 'failed', err instanceof Error ? err.message : String(err));
  } finally {
    stopStream(stream);
    await context?.close().catch(() => undefined);
  }
}

async function capture(
  context: AudioContext,
  stream: MediaStream,
  options: RecordOptions,
): Promise<{ data: Float32Array; peakRms: number }> {
  const target = Math.round(options.seconds * context.sampleRate);
  const source = context.createMediaStreamSource(stream);
  // A silent sink keeps the graph pulling audio without playing the voice back.
  const sink = context.createGain();
  sink.gain.value = 0;
  sink.connect(context.destination);

  const chunks: Float32Array[] = [];
  let collected = 0;
  let peakRms = 0;
  let lastLevelAt = 0;

  return new Promise((resolve, reject) => {
    let node: AudioNode | undefined;
    const finish = (err?: unknown): void => {
      clearTimeout(watchdog);
      options.signal?.removeEventListener('abort', onAbort);
      source.disconnect();
      node?.disconnect();
      if (err) reject(err);
      else resolve({ data: concatSamples(chunks, target), peakRms });
    };
    const onAbort = (): void => finish(new DOMException('Recording cancelled', 'AbortError'));
    // No audio at all within the expected time means a dead input, not a quiet speaker.
    const watchdog = setTimeout(
      () => finish(new DeviceError('microphone', 'failed', 'The microphone delivered no audio')),
      options.seconds * 1000 + 3000,
    );
    options.signal?.addEventListener('abort', onAbort);

    const take = (block: Float32Array): void => {
      if (collected >= target) return;
      chunks.push(block);
      collected += block.length;
      const level = rms(block);
      peakRms = Math.max(peakRms, level);
      const now = performance.now();
      if (now - lastLevelAt > 40) {
        lastLevelAt = now;
        options.onLevel?.(meterLevel(level));
        options.onProgress?.(Math.min(options.seconds, collected / context.sampleRate));
      }
      if (collected >= target) finish();
    };

    connectRecorder(context, take)
      .then((recorder) => {
        node = recorder;
        source.connect(recorder);
        recorder.connect(sink);
      })
      .catch(finish);
  });
}

async function connectRecorder(context: AudioContext, take: (block: Float32Array) => void): Promise<AudioNode> {
  if (context.audioWorklet) {
    await context.audioWorklet.addModule(new URL(WORKLET_URL, document.baseURI).href);
    const node = new AudioWorkletNode(context, 'pcm-recorder', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    node.port.onmessage = (event: MessageEvent<Float32Array>) => take(event.data);
    return node;
  }
  // Older engines: the deprecated ScriptProcessor still gives exact samples.
  const processor = context.createScriptProcessor(4096, 1, 1);
  processor.onaudioprocess = (event) => take(new Float32Array(event.inputBuffer.getChannelData(0)));
  return processor;
}
