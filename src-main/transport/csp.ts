/**
 * The renderer's Content-Security-Policy. RENDERER_CSP is exactly the policy of the <meta> tag
 * in src-renderer/index.html (a test keeps the two equal); both transports also send it as a
 * response header, where `frame-ancestors` (ignored inside <meta>) additionally forbids
 * framing the kiosk in another page (clickjacking).
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export const CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
