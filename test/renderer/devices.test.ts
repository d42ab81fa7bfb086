// @vitest-environment happy-dom
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import KioskScreen from '../../src-renderer/kiosk/KioskScreen.svelte';
import { DeviceError, classifyMediaError } from '../../src-renderer/lib/devices.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { record } from '../../src-renderer/lib/microphone.js';
import { removeBridge, removeMediaDevices, stubBridge, stubMediaDevices } from './bridge.js';

const reject = (name: string) => async (): Promise<MediaStream> => {
  throw new DOMException('browser text', name);
};

describe('camera or microphone missing or denied', () => {
  afterEach(() => {
    removeMediaDevices();
    removeBridge();
    locale.set('en');
  });

  it.each([
    ['NotFoundError', 'not_found'],
    ['OverconstrainedError', 'not_found'],
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotReadableError', 'in_use'],
    ['SomethingElse', 'failed'],
  ])('classifies %s as %s', (name, problem) => {
    const err = classifyMediaError('camera', new DOMException('x', name));
    expect(err).toBeInstanceOf(DeviceError);
    expect(err.problem).toBe(problem);
  });

  it('says "No camera found" on the kiosk and points to the PIN', async () => {
    stubBridge({});
    stubMediaDevices(reject('NotFoundError'));
    render(KioskScreen);
    await waitFor(() => expect(screen.getByText('No camera found')).toBeTruthy());
    expect(screen.getByText('You can still clock in with your PIN.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Use PIN' })).toBeTruthy();
  });

  it('says the camera permission was denied, in Korean too', async () => {
    stubBridge({});
    stubMediaDevices(reject('NotAllowedError'));
    locale.set('ko');
    render(KioskScreen);
    await waitFor(() => expect(screen.getByText('카메라 권한이 거부되었습니다. 관리자에게 문의하세요')).toBeTruthy());
    locale.set('en');
    await waitFor(() => expect(screen.getByText('Camera permission denied — ask an administrator')).toBeTruthy());
  });

  it('says the camera cannot be used when the window has no media devices at all', async () => {
    stubBridge({});
    removeMediaDevices();
    render(KioskScreen);
    await waitFor(() => expect(screen.getByText('This window cannot use a camera')).toBeTruthy());
  });

  it('asks for the microphone with every voice enhancement off, and reports a denial as a DeviceError', async () => {
    const getUserMedia = stubMediaDevices(reject('NotAllowedError'));
    const failure = await record({ seconds: 1 }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DeviceError);
    expect((failure as DeviceError).device).toBe('microphone');
    expect((failure as DeviceError).problem).toBe('denied');
    const audio = getUserMedia.mock.calls[0]?.[0].audio as MediaTrackConstraints;
    expect([audio.echoCancellation, audio.noiseSuppression, audio.autoGainControl]).toEqual([false, false, false]);
    expect(getUserMedia.mock.calls[0]?.[0].video).toBe(false);
  });
});
