// node-forge's lib/ files that src/pki/certificates/forge-parts.ts loads: each exports one part of forge.
declare module 'node-forge/lib/asn1.js' {
  import type forge from 'node-forge';
  const asn1: typeof forge.asn1;
  export default asn1;
}
declare module 'node-forge/lib/util.js' {
  import type forge from 'node-forge';
  const util: typeof forge.util;
  export default util;
}
