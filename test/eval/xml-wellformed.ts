/**
 * A strict, minimal XML well-formedness check for the SVG the evaluation writes (elements,
 * double-quoted attributes, text, the five predefined entities, one root). Independent of the
 * code that writes the SVG, so a broken tag or an unescaped label fails the test.
 */
const TEXT = /^(?:[^<&]|&(?:amp|lt|gt|quot|apos|#\d+);)*$/;
const ATTRIBUTE_VALUE = /^(?:[^<&"]|&(?:amp|lt|gt|quot|apos|#\d+);)*$/;
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>/y;

/** Returns the problem found, or undefined when the document is well-formed. */
export function xmlProblem(xml: string): string | undefined {
  let doc = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  doc = doc.trim();
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  while (pos < doc.length) {
    const next = doc.indexOf('<', pos);
    const text = doc.slice(pos, next === -1 ? doc.length : next);
    if (!TEXT.test(text)) return `bad text near offset ${pos}: ${text.slice(0, 40)}`;
    if (text.trim() !== '' && stack.length === 0) return `text outside the root at offset ${pos}`;
    if (next === -1) break;
    TAG.lastIndex = next;
    const m = TAG.exec(doc);
    if (!m) return `malformed tag at offset ${next}: ${doc.slice(next, next + 40)}`;
    const [whole, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    const values = [...attrs.matchAll(/="([^"]*)"/g)].map((a) => a[1] as string);
    if (values.some((v) => !ATTRIBUTE_VALUE.test(v))) return `bad attribute value in <${name}>`;
    const attrNames = [...attrs.matchAll(/([A-Za-z_][\w.:-]*)=/g)].map((a) => a[1]);
    if (new Set(attrNames).size !== attrNames.length) return `duplicate attribute in <${name}>`;
    if (closing) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else {
      if (stack.length === 0 && ++roots > 1) return 'more than one root element';
      if (!selfClosing) stack.push(name);
    }
    pos = next + whole.length;
  }
  return stack.length === 0 && roots === 1 ? undefined : `unclosed elements: ${stack.join(', ') || '(no root)'}`;
}
