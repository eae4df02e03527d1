/**
 * Is a line of output written in the learner's language? kubetls keeps some spans in English whatever
 * the language, because that is how the real tools print them: paths, flags, commands, Go's
 * `x509:`/`tls:` messages, Node's and OpenSSL's error words, the components' own log words, CN=/O=
 * values, file and certificate names. `englishProse` takes those out and reports what is left when it
 * still holds three or more English words in a row; `hasHangul` is the check the other way round.
 */

/** Hangul syllables and jamo: a line in English has none. */
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

export function hasHangul(line: string): boolean {
  return HANGUL.test(line);
}

/** Up to the first Hangul (or the end): a tool's message runs on until kubetls' own words start again. */
const TO_KUBETLS = '[^\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7a3]*';

/** The field names of `openssl x509 -text`, which kubetls' inspect view imitates (the Sandbox screen's right pane). */
const OPENSSL_DUMP =
  /\b(?:Not Before|Not After|Serial Number|Signature Algorithm|Signature Value|Subject Public Key Info|Public Key Algorithm|Public-Key|Requested Extensions|Certificate Request|X509v3 [A-Z][A-Za-z ]+|TLS Web (?:Server|Client) Authentication|Digital Signature|Key Encipherment|Certificate Sign|CRL Sign|Non Repudiation|Data Encipherment|Key Agreement|Encipher Only|Decipher Only|Code Signing|E-mail Protection|Time Stamping|OCSP Signing|Any Extended Key Usage|Authority Information Access|IP Address|Private Key|Public Key|Public key SHA-256)\b/g;

/** The words of the real tools, kept as they print them. */
const TOOL_WORDS: readonly (string | RegExp)[] = [
  // Go: crypto/x509, crypto/tls, and the alert a peer sees
  new RegExp(`\\b(?:x509|tls): ${TO_KUBETLS}`, 'g'),
  /remote error: tls: [a-z ]+/g,
  // the end of Go's expiry message, on a line of its own where a screen wraps it (the date may go on to the next)
  /current time \S+ is (?:after|before)(?: \S+)?/g,
  // Node and OpenSSL (the handshake's first words, verify codes)
  /Hostname\/IP does not match certificate's altnames:[^\u3130-\u318f\uac00-\ud7a3)]*/g,
  new RegExp(`error:[0-9A-F]{8}:${TO_KUBETLS}`, 'g'),
  'self-signed certificate in certificate chain',
  'self-signed certificate',
  'unable to get local issuer certificate',
  'unable to verify the first certificate',
  'unable to get issuer certificate',
  'certificate has expired',
  'certificate is not yet valid',
  'certificate signature failure',
  'unsuitable certificate purpose',
  'invalid CA certificate',
  // what a component logs when it cannot start, and the apiserver's answer
  /connect ECONNREFUSED \S+/g,
  'no such file or directory',
  'permission denied',
  "couldn't parse as pod",
  'key values mismatch',
  'connection refused',
  'Unable to authenticate the request',
  'HTTP 401 Unauthorized',
  // kubectl's own words when it cannot get through
  new RegExp(`Unable to connect to the server${TO_KUBETLS}`, 'g'),
  /(?:error: )?You must be logged in to the server(?: \([A-Za-z]+\))?/g,
  new RegExp(`The connection to the server ${TO_KUBETLS}`, 'g'),
  new RegExp(`Error from server \\([A-Za-z]+\\): ${TO_KUBETLS}`, 'g'),
  // kubeadm's subcommands named together: kubeadm(init, certs renew, upgrade, kubeconfig user)
  /kubeadm\([a-z ,]+\)/g,
  // the yaml library's words about a manifest it cannot read
  /yaml: line \d+: [^)\u3130-\u318f\uac00-\ud7a3]*/g,
  // names
  /Kubernetes [Tt]he Hard Way/g,
  // a field of openssl's dump quoted in kubetls' words (a question: openssl shows 'X509v3 Extended Key Usage:')
  new RegExp(`'(?:${OPENSSL_DUMP.source}):?'`, 'g'),
];

/** Spans that are not prose in any language. */
const NOT_PROSE: readonly RegExp[] = [
  /`[^`]*`/g,
  // a command to type, up to kubetls' next words (Hangul), a bracket or a semicolon
  /(?<![\w-])(?:sudo )?(?:kubetls|kubectl|kubeadm|openssl|crictl|etcdctl) [^\u3130-\u318f\uac00-\ud7a3;()]*/g,
  // subject fields, up to the next comma or bracket (values may hold spaces: OU=Kubernetes The Hard Way)
  /\b(?:CN|O|OU|C|ST|L)=[^,)\]]*/g,
  // paths, URLs and file names
  /\S*\/\S*/g,
  /\S+\.[A-Za-z]\S*/g,
  // flags, with their value
  /(?<!\S)--?[A-Za-z][\w.*-]*(?:=\S*)?/g,
];

/**
 * A word of English prose: two letters or more (a capital first at most: NAME, TLS and OK are not
 * prose; a choice's letter `a)` is not a word), with punctuation around it.
 */
const WORD = /^["'(\[]*[A-Za-z][a-z]+["')\],.:;!?]*$/;

/** Where a span was taken out: it ends a run of words. */
const BREAK = ' \u0000 ';

/**
 * The English prose left in `line` once the spans kept as printed are taken out: the first run of three
 * or more English words, or undefined when there is none. With `opensslDump`, openssl's field names
 * are kept too (a screen that shows a certificate as `openssl x509 -text` does).
 */
export function englishProse(line: string, options: { opensslDump?: boolean } = {}): string | undefined {
  let rest = options.opensslDump ? line.replace(OPENSSL_DUMP, BREAK) : line;
  for (const kept of TOOL_WORDS) rest = typeof kept === 'string' ? rest.split(kept).join(BREAK) : rest.replace(kept, BREAK);
  for (const span of NOT_PROSE) rest = rest.replace(span, BREAK);
  let run: string[] = [];
  for (const token of [...rest.split(/\s+/), BREAK.trim()]) {
    if (WORD.test(token)) run.push(token);
    else if (run.length >= 3 && !isList(run)) return run.join(' ');
    else run = [];
  }
  return undefined;
}

/** Names side by side ("kubeconfig, wiring, renewal"): every word but the last ends in a comma, so no two make a phrase. */
function isList(run: readonly string[]): boolean {
  return run.slice(0, -1).every((word) => word.endsWith(','));
}
