// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { ok, removeBridge, stubBridge } from './bridge.js';

describe('language switch', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
  });

  it('turns the visible texts Korean and remembers the choice', async () => {
    locale.set('en');
    stubBridge({
      'kiosk.status': () => ok<'kiosk.status'>({ ready: true, kioskId: 'front-desk', models: [], enrolled: 4, livenessMode: 'off', recognition: { face: 'identify', voice: 'verify' } }),
    });
    render(App);
    expect(await screen.findByText('Kiosk front-desk · 4 enrolled')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Attendance');
    expect(screen.getByRole('button', { name: 'Use PIN' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: '한국어' }));

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('출퇴근 기록');
    expect(screen.getByRole('button', { name: 'PIN으로 기록' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '음성으로 기록' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '관리자' })).toBeTruthy();
    expect(screen.getByText('키오스크 front-desk · 등록 4명')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Use PIN' })).toBeNull();
    expect(localStorage.getItem('kiosk.locale')).toBe('ko');
    expect(document.documentElement.lang).toBe('ko');
    expect(screen.getByRole('button', { name: '한국어' }).getAttribute('aria-pressed')).toBe('true');

    await fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Attendance');
  });
});
