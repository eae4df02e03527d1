import { KubetlsError } from '../../errors.js';

/**
 * YAML read from a file a learner pointed kubetls at (a kubeconfig, a manifest, a CSR object). The
 * parser's time and memory grow with the lines and items, not the bytes: 3.3 million one-item lines
 * (16 MB) took 50 s and 3.7 GB, and a flow list of 8 million ran out of memory. A real kubeconfig with
 * hundreds of contexts has a few thousand lines; its certificates are single long lines.
 */
export const MAX_YAML_LINES_AND_ITEMS = 20_000;

/** Throws before parsing when `text` has more lines and flow items (`,` `[` `{`) than kubetls reads. */
export function assertYamlWithinLimits(text: string, source: string): void {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // \n , [ {
    if ((code === 10 || code === 44 || code === 91 || code === 123) && ++count > MAX_YAML_LINES_AND_ITEMS) {
      throw KubetlsError.said('pki.errors.yaml-too-big', { source, limit: MAX_YAML_LINES_AND_ITEMS }, { key: 'pki.errors.meant-this-file' });
    }
  }
}
