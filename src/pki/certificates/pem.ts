/** PEM blocks in a file: certificates, keys, requests, in any order, with text between them. */
export interface PemBlock {
  label: string;
  der: Buffer;
  /** 1-based line of the BEGIN marker, for error messages. */
  line: number;
  /** The block as written, BEGIN to END with any headers (an encrypted legacy key's Proc-Type). */
  text: string;
}

// a label is short; bounding it keeps every match attempt, and so the whole scan, linear in the text
const MARKER = /-----(BEGIN|END) ([A-Z0-9 ]{1,64})-----/g;
const HEADER_LINE = /^[A-Za-z-]+:.*$/gm;

/**
 * One pass over the markers: a block is a BEGIN and the next END of the same label. A BEGIN met while
 * a block is open starts over (the first was never closed); an END with no open block is text.
 * Linear in the length of the text, however the markers are arranged.
 */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { label: string; index: number; bodyStart: number; line: number } | undefined;
  let line = 1;
  let counted = 0;
  for (const marker of text.matchAll(MARKER)) {
    const index = marker.index ?? 0;
    for (let at = text.indexOf('\n', counted); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
    counted = index;
    const label = marker[2] ?? '';
    if (marker[1] === 'BEGIN') {
      open = { label, index, bodyStart: index + marker[0].length, line };
    } else if (open && open.label === label) {
      const body = text.slice(open.bodyStart, index).replace(HEADER_LINE, '').replace(/\s+/g, '');
      blocks.push({ label, der: Buffer.from(body, 'base64'), line: open.line, text: text.slice(open.index, index + marker[0].length) });
      open = undefined;
    }
  }
  return blocks;
}

export function encodePem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function looksLikePem(data: Buffer): boolean {
  return data.subarray(0, 4096).toString('latin1').includes('-----BEGIN ');
}
