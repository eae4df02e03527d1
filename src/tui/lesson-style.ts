import type { StyledLine, StyledSpan } from '../lessons/render.js';
import { escapeTags, type Theme } from './theme.js';

/** The renderer's styled spans as blessed tags, by theme; monochrome keeps bold and underline only. */

const ADMONITION_COLORS: Record<string, string> = {
  note: 'white',
  info: 'cyan',
  tip: 'green',
  warning: 'yellow',
  caution: 'yellow',
  danger: 'red',
};

function wrap(text: string, open: string[], theme: Theme): string {
  const escaped = escapeTags(text);
  const tags = open.filter((tag) => !theme.monochrome || !tag.endsWith('-fg'));
  if (tags.length === 0) return escaped;
  return `${tags.map((t) => `{${t}}`).join('')}${escaped}${[...tags].reverse().map((t) => `{/${t}}`).join('')}`;
}

function color(value: string | undefined): string[] {
  return value ? [`${value}-fg`] : [];
}

export function spanToTags(span: StyledSpan, theme: Theme): string {
  switch (span.style) {
    case 'heading':
      return wrap(span.text, ['bold', ...(span.level === 1 ? ['underline'] : []), ...color(theme.accent)], theme);
    case 'bold':
    case 'bold-italic':
    case 'table-header':
      return wrap(span.text, ['bold'], theme);
    case 'italic':
      return wrap(span.text, color(theme.accent), theme);
    case 'code':
    case 'code-block':
      return wrap(span.text, color(theme.code), theme);
    case 'link':
      return wrap(span.text, ['underline', ...color(theme.link)], theme);
    case 'dim':
    case 'image':
    case 'rule':
    case 'quote':
    case 'table-border':
      return wrap(span.text, color(theme.muted), theme);
    case 'diagram':
      return wrap(span.text, color(theme.accent), theme);
    case 'frame':
      return wrap(span.text, color(theme.monochrome ? undefined : ADMONITION_COLORS[span.kind ?? 'note']), theme);
    case 'frame-title':
      return wrap(span.text, ['bold', ...color(theme.monochrome ? undefined : ADMONITION_COLORS[span.kind ?? 'note'])], theme);
    case 'strike':
    case 'text':
    default:
      return escapeTags(span.text);
  }
}

export function linesToTags(lines: readonly StyledLine[], theme: Theme): string {
  return lines.map((line) => line.map((span) => spanToTags(span, theme)).join('')).join('\n');
}
