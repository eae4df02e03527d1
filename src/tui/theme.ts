/** Colours as blessed style values; monochrome keeps only bold, underline and inverse (NO_COLOR, vt100). */

export type ThemeName = 'dark' | 'light';

export interface Theme {
  monochrome: boolean;
  fg: string | undefined;
  bg: string | undefined;
  accent: string | undefined;
  muted: string | undefined;
  ok: string | undefined;
  bad: string | undefined;
  warn: string | undefined;
  code: string | undefined;
  link: string | undefined;
  selectedFg: string | undefined;
  selectedBg: string | undefined;
  barFg: string | undefined;
  barBg: string | undefined;
  border: string | undefined;
  /** The scroll bar's thumb, drawn as a background colour. */
  scrollbar: string | undefined;
}

const DARK: Theme = {
  monochrome: false,
  fg: undefined,
  bg: undefined,
  accent: 'cyan',
  muted: 'gray',
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  code: 'yellow',
  link: 'cyan',
  selectedFg: 'black',
  selectedBg: 'cyan',
  barFg: 'black',
  barBg: 'white',
  border: 'gray',
  scrollbar: 'gray',
};

const LIGHT: Theme = {
  ...DARK,
  accent: 'blue',
  muted: 'gray',
  code: 'magenta',
  link: 'blue',
  selectedFg: 'white',
  selectedBg: 'blue',
  barFg: 'white',
  barBg: 'blue',
  border: 'blue',
  scrollbar: 'blue',
};

const MONO: Theme = {
  monochrome: true,
  fg: undefined,
  bg: undefined,
  accent: undefined,
  muted: undefined,
  ok: undefined,
  bad: undefined,
  warn: undefined,
  code: undefined,
  link: undefined,
  selectedFg: undefined,
  selectedBg: undefined,
  barFg: undefined,
  barBg: undefined,
  border: undefined,
  scrollbar: undefined,
};

/**
 * Grey is colour 8, which a terminal with 8 colours (TERM=xterm, screen, linux: what PuTTY, Xshell and
 * MobaXterm send) does not have: blessed reduces it to colour 0 and draws it black, invisible on a dark
 * background. There muted text and borders take the terminal's own foreground instead.
 */
const DARK_8_COLOURS: Theme = { ...DARK, muted: undefined, border: undefined, scrollbar: 'white' };

/** `colors` is the terminal's number of colours (terminfo `colors`). */
export function themeFor(name: ThemeName, monochrome: boolean, colors = 256): Theme {
  if (monochrome) return MONO;
  if (name === 'light') return LIGHT;
  return colors < 16 ? DARK_8_COLOURS : DARK;
}

/** Wraps text in blessed tags for a colour, or in bold/underline when there is no colour. */
export function paint(theme: Theme, role: 'accent' | 'muted' | 'ok' | 'bad' | 'warn' | 'code' | 'link', text: string): string {
  const escaped = escapeTags(text);
  const color = theme[role];
  if (!color) {
    if (role === 'bad' || role === 'accent') return `{bold}${escaped}{/bold}`;
    if (role === 'link') return `{underline}${escaped}{/underline}`;
    return escaped;
  }
  return `{${color}-fg}${escaped}{/${color}-fg}`;
}

/** blessed treats `{` as a tag opener; text from files must not be interpreted. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (brace) => (brace === '{' ? '{open}' : '{close}'));
}
