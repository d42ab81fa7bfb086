import { describe, expect, it } from 'vitest';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { impostorScores } from '../../src-main/eval/impostor-scores.js';

describe('impostorScores', () => {
  it('scores every pair of files of two different identities, never a pair of one identity, highest first', () => {
    const v = (...x: number[]) => Float32Array.from(x);
    const scores = impostorScores(
      [
        { id: 'a', embeddings: [v(1, 0), v(0.8, 0.6)] },
        { id: 'b', embeddings: [v(0, 1)] },
        { id: 'c', embeddings: [] },
      ],
      createSimilarity({ energy: 'cosine' }),
    );
    // a1·b = 0, a2·b = 0.6; a1·a2 (same identity) is left out.
    expect(Array.from(scores)).toEqual([0.6, 0].map((x) => expect.closeTo(x, 6)));
  });
});
