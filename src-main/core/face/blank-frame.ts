/**
 * A camera that shows nothing: a covered lens, a disconnected capture card, a driver delivering
 * black frames. Such a frame has no face, but "No face found — look at the camera" sends the person
 * looking for a problem with their face; CAMERA_BLANK says the camera shows nothing.
 *
 * Blank means black, almost everywhere: mean luma under 8 and 99 % of the sampled pixels under 24
 * (of 255). A dark room with a person in it is lighter than that (the face is then TOO_DARK), and a
 * uniform grey frame is not blank (it shows something, just no face).
 */
import type { RgbImage } from './types.js';

const MAX_MEAN_LUMA = 8;
const MAX_P99_LUMA = 24;
/** Pixels looked at: enough for a percentile, cheap on a 1280-wide frame. */
const SAMPLES = 4096;

export function isBlankImage(image: RgbImage): boolean {
  const pixels = image.width * image.height;
  if (!(pixels > 0) || image.data.length < pixels * 3) return false;
  const step = Math.max(1, Math.floor(pixels / SAMPLES));
  const histogram = new Uint32Array(256);
  let sum = 0;
  let count = 0;
  for (let p = 0; p < pixels; p += step) {
    const i = p * 3;
    const luma = Math.round(0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!);
    histogram[luma]! += 1;
    sum += luma;
    count += 1;
  }
  if (sum / count >= MAX_MEAN_LUMA) return false;
  let above = 0;
  for (let v = MAX_P99_LUMA; v < 256; v++) above += histogram[v]!;
  return above <= count * 0.01;
}
