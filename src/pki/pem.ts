/** PEM blocks in a file: certificates, keys, requests, in any order, with text between them. */
export interface PemBlock {
  label: string;
  der: Buffer;
  /** 1-based line of the BEGIN marker, for error messages. */
  line: number;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = (match[2] ?? '').replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    const line = text.slice(0, match.index).split('\n').length;
    blocks.push({ label: match[1] ?? '', der: Buffer.from(body, 'base64'), line });
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
