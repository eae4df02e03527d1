/**
 * Characters that, printed to a terminal, move the cursor, change colours, set the window title or
 * reorder text: C0 and C1 controls (tab and newline aside) and the bidirectional overrides. Files
 * kubetls reads (lessons, certificates, kubeconfigs) can hold them; what kubetls prints must not.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Removes them: for text shown as prose (a lesson, its title). */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}

/**
 * Shows them as openssl does (`\1B`), so what was in the file stays visible: for names read from
 * certificates and kubeconfigs. `oneLine` escapes tabs and newlines too, for one-line messages.
 */
export function escapeControlCharacters(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine ? CONTROL_OR_NEWLINE : CONTROL_CHARACTERS, (character) => `\\${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
