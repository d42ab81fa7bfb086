/**
 * The renderer's own message tables, so the tests find buttons and read cards by the words a
 * person sees in either language without repeating the translations here. Imported at run
 * time: the renderer's sources are type-checked under their own DOM configuration, not Node's.
 */
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import type { Lang } from './person.js';

export type Translate = (lang: Lang, key: string, params?: Record<string, string | number>) => string;

export async function loadLabels(): Promise<Translate> {
  const i18n = join(repoRoot, 'src-renderer/lib/i18n.ts');
  const { translate } = (await import(i18n)) as { translate: Translate };
  return translate;
}

/** How the language switch names each language (in that language). */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', ko: '한국어' };
