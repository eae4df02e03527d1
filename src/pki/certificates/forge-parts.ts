import type forge from 'node-forge';
import forgeAsn1 from 'node-forge/lib/asn1.js';
import forgeUtilities from 'node-forge/lib/util.js';

/**
 * The parts of node-forge kubetls uses: its ASN.1 codec and its byte utilities. Loading forge whole
 * (its TLS, ciphers and PKI on top) cost ~60 ms on the Sandbox screen's first open; these two files
 * and what they need take ~4 ms. forge has no `exports` map, so its lib/ files are its public paths
 * (typed in node-forge-parts.d.ts).
 */
export const asn1: typeof forge.asn1 = forgeAsn1;
export const forgeUtil: typeof forge.util = forgeUtilities;
export type Asn1 = forge.asn1.Asn1;
