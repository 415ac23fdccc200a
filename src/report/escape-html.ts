/**
 * Text made safe for HTML and inline SVG, in element content and in quoted attribute
 * values alike: the five characters that can end a text run or an attribute are replaced
 * by character references (the HTML standard's "escaping a string", plus `'`).
 */
const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => REFERENCES[c]);
}
