/**
 * Phrases for voice clock-in: a fresh random phrase for every attempt, valid once and for a
 * short time. It makes a recording of an earlier clock-in useless only as far as the phrase's
 * words matter: the speaker encoder is text-independent and does not check what was said, so
 * this raises the bar for casual replay (the person must say the shown words, live) but does
 * not stop a synthesised or spliced recording of the shown phrase.
 */
import { type Locale } from '../../../src-shared/vocabulary.js';
import { randomBytes, randomInt } from 'node:crypto';
import { KioskError } from '../errors.js';


export interface IssuedPhrase {
  readonly phraseId: string;
  readonly text: string;
}

// About 3 s read aloud: "<colour> <animal> <verb> <number> <place>". 8·8·8·9·8 ≈ 37 000 phrases per language.
const WORDS: Record<Locale, readonly (readonly string[])[]> = {
  en: [
    ['red', 'blue', 'green', 'yellow', 'purple', 'silver', 'golden', 'orange'],
    ['tigers', 'rabbits', 'dolphins', 'eagles', 'horses', 'turtles', 'foxes', 'owls'],
    ['jump over', 'swim past', 'walk around', 'fly above', 'run beside', 'wait near', 'look at', 'sing to'],
    ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
    ['bridges', 'mountains', 'gardens', 'rivers', 'castles', 'islands', 'forests', 'lighthouses'],
  ],
  ko: [
    ['빨간', '파란', '초록색', '노란', '보라색', '은색', '금색', '주황색'],
    ['호랑이가', '토끼가', '돌고래가', '독수리가', '말이', '거북이가', '여우가', '부엉이가'],
    ['두', '세', '네', '다섯', '여섯', '일곱', '여덟', '아홉', '열'],
    ['개의 다리를', '개의 산을', '개의 정원을', '개의 강을', '개의 성을', '개의 섬을', '개의 숲을', '개의 등대를'],
    ['건너갑니다', '지나갑니다', '바라봅니다', '넘어갑니다', '돌아갑니다', '찾아갑니다', '구경합니다', '그려봅니다'],
  ],
};

export interface PhraseIssuerOptions {
  readonly now?: () => Date;
  /** How long an issued phrase can be used. */
  readonly ttlMs?: number;
  /** Outstanding phrases kept; the oldest is dropped beyond this (bounded memory). */
  readonly maxOutstanding?: number;
}

export class PhraseIssuer {
  private readonly outstanding = new Map<string, number>();
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly maxOutstanding: number;

  constructor(options: PhraseIssuerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? 2 * 60_000;
    this.maxOutstanding = options.maxOutstanding ?? 1000;
  }

  issue(locale: Locale): IssuedPhrase {
    const words = WORDS[locale] ?? WORDS.en;
    const text = words.map((choices) => choices[randomInt(choices.length)]!).join(' ');
    const phraseId = randomBytes(16).toString('hex');
    const now = this.now().getTime();
    for (const [id, expiresAt] of this.outstanding) if (expiresAt <= now) this.outstanding.delete(id);
    if (this.outstanding.size >= this.maxOutstanding) {
      const oldest = this.outstanding.keys().next();
      if (!oldest.done) this.outstanding.delete(oldest.value);
    }
    this.outstanding.set(phraseId, now + this.ttlMs);
    return { phraseId, text: locale === 'en' ? `${capitalise(text)}.` : `${text}.` };
  }

  /** Uses the phrase up (whatever the attempt's outcome); PHRASE_EXPIRED when unknown, used or too old. */
  consume(phraseId: string): void {
    const expiresAt = this.outstanding.get(phraseId);
    this.outstanding.delete(phraseId);
    if (expiresAt === undefined || this.now().getTime() >= expiresAt) {
      throw new KioskError('PHRASE_EXPIRED', 'This phrase is no longer valid. Ask for a new phrase and say it right away.');
    }
  }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
