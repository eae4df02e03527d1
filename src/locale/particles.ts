/**
 * Korean particles chosen by the word before them, as a Korean reader would say that word:
 * 은/는, 이/가, 을/를, 과/와, 으로/로 (and 이에요/예요 style pairs through the same rule).
 * Hangul decides by its last syllable; numbers, Latin words, acronyms and flags by how they are read
 * aloud ("apiserver를", "80x24가", "--proxy-client-key-file은", "CA를", "etcd를"). No "을(를)".
 */

export type Particle = '은' | '는' | '이' | '가' | '을' | '를' | '과' | '와' | '으로' | '로' | '이나' | '나' | '이랑' | '랑';

/** How the last sound ends: no final consonant, the final ㄹ (which takes 로), or another final consonant. */
export type Ending = 'vowel' | 'rieul' | 'consonant';

const PAIRS: Record<Particle, [withConsonant: string, withVowel: string]> = {
  은: ['은', '는'], 는: ['은', '는'],
  이: ['이', '가'], 가: ['이', '가'],
  을: ['을', '를'], 를: ['을', '를'],
  과: ['과', '와'], 와: ['과', '와'],
  으로: ['으로', '로'], 로: ['으로', '로'],
  이나: ['이나', '나'], 나: ['이나', '나'],
  이랑: ['이랑', '랑'], 랑: ['이랑', '랑'],
};

export function isParticle(text: string): text is Particle {
  return Object.hasOwn(PAIRS, text);
}

/** The right form of `particle` after `word`: particleFor('apiserver', '을') === '를'. */
export function particleFor(word: string, particle: Particle): string {
  const [withConsonant, withVowel] = PAIRS[particle];
  const ending = endingOf(word);
  if (particle === '으로' || particle === '로') return ending === 'consonant' ? withConsonant : withVowel;
  return ending === 'vowel' ? withVowel : withConsonant;
}

/** `word` followed by its particle: withParticle('ca.key', '을') === 'ca.key를'. */
export function withParticle(word: string, particle: Particle): string {
  return `${word}${particleFor(word, particle)}`;
}

/** How `word` ends when read aloud; closing brackets, quotes and punctuation are skipped. */
export function endingOf(word: string): Ending {
  const trimmed = word.replace(/[\s"'`)\]}>»”’.,:;!?*]+$/u, '');
  if (trimmed === '') return 'vowel';
  const last = trimmed[trimmed.length - 1]!;
  if (isHangulSyllable(last)) return hangulEnding(last);
  if (/[0-9]/.test(last)) return numberEnding(trimmed);
  if (/[A-Za-z]/.test(last)) return latinEnding(lastLatinWord(trimmed));
  return 'vowel';
}

function isHangulSyllable(char: string): boolean {
  const code = char.charCodeAt(0);
  return code >= 0xac00 && code <= 0xd7a3;
}

const RIEUL = 8;

function hangulEnding(syllable: string): Ending {
  const final = (syllable.charCodeAt(0) - 0xac00) % 28;
  return final === 0 ? 'vowel' : final === RIEUL ? 'rieul' : 'consonant';
}

// ---- numbers: read in Sino-Korean (영, 일, 이, 삼 … 십, 백, 천, 만) -----------------------------------

const DIGIT_ENDINGS: Ending[] = ['consonant', 'rieul', 'vowel', 'consonant', 'vowel', 'vowel', 'consonant', 'rieul', 'rieul', 'vowel'];

function numberEnding(text: string): Ending {
  const digits = /(\d+)$/.exec(text)![1]!;
  const value = digits.replace(/^0+(?=\d)/, '');
  if (value === '0') return 'consonant'; // 영
  const lastNonZero = value.search(/0*$/) - 1;
  const zeros = value.length - 1 - lastNonZero;
  if (zeros === 0) return DIGIT_ENDINGS[Number(value[value.length - 1])]!;
  // 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ), 십만, 백만, 천만, 억 (ㄱ): every one ends in a consonant
  return 'consonant';
}

// ---- Latin words, acronyms, file names and flags -----------------------------------------------

/** The last word of "kube-apiserver.yaml" is "yaml"; of "--proxy-client-key-file" it is "file". */
function lastLatinWord(text: string): string {
  const match = /([A-Za-z]+)$/.exec(text);
  return match ? match[1]! : text;
}

/** Words of this course read as Korean speakers say them, where the spelling rule would guess wrong. */
const KNOWN_WORDS: Record<string, Ending> = {
  // read as words
  apiserver: 'vowel', server: 'vowel', kubelet: 'consonant', etcd: 'vowel', kubectl: 'rieul', kubeadm: 'consonant',
  admin: 'consonant', key: 'vowel', cert: 'vowel', crt: 'vowel', conf: 'vowel', yaml: 'rieul', json: 'consonant',
  pem: 'consonant', csr: 'rieul', pub: 'consonant', proxy: 'vowel', client: 'vowel', node: 'vowel', file: 'rieul',
  scheduler: 'vowel', manager: 'vowel', controller: 'vowel', kubernetes: 'vowel', sandbox: 'vowel', tmux: 'vowel',
  openssl: 'rieul', kubeconfig: 'vowel', config: 'vowel', manifest: 'vowel', pod: 'vowel', dir: 'vowel',
  token: 'consonant', secret: 'consonant', service: 'vowel', account: 'vowel', issuer: 'vowel', subject: 'vowel',
  root: 'vowel', ca: 'vowel', san: 'consonant', tls: 'vowel', dns: 'vowel', ip: 'vowel', ok: 'vowel', cn: 'consonant',
  usage: 'vowel', hsm: 'consonant', bundle: 'rieul', chain: 'consonant', path: 'vowel', peer: 'vowel', healthcheck: 'vowel',
  go: 'vowel', lesson: 'consonant', quiz: 'vowel', exam: 'consonant', review: 'vowel', progress: 'vowel',
};

const LETTER_NAMES: Record<string, Ending> = {
  a: 'vowel', b: 'vowel', c: 'vowel', d: 'vowel', e: 'vowel', f: 'vowel', g: 'vowel', h: 'vowel', i: 'vowel',
  j: 'vowel', k: 'vowel', l: 'rieul', m: 'consonant', n: 'consonant', o: 'vowel', p: 'vowel', q: 'vowel',
  r: 'rieul', s: 'vowel', t: 'vowel', u: 'vowel', v: 'vowel', w: 'vowel', x: 'vowel', y: 'vowel', z: 'vowel',
};

function latinEnding(word: string): Ending {
  const lower = word.toLowerCase();
  const known = KNOWN_WORDS[lower];
  if (known) return known;
  // an acronym is read letter by letter: CSR (씨에스알), PKI (피케이아이)
  if (word.length <= 4 && word === word.toUpperCase()) return LETTER_NAMES[lower[lower.length - 1]!]!;
  if (word.length === 1) return LETTER_NAMES[lower]!;
  return spelledEnding(lower);
}

/**
 * How loanwords are usually written in Hangul: -l is ㄹ, -m/-n/-ng (also -ne, -me: jane 제인) a final consonant, a final
 * stop after a short vowel is a batchim (cat 캣, book 북), and a silent -e or a vowel is no batchim.
 */
function spelledEnding(word: string): Ending {
  if (/(le|l)$/.test(word)) return 'rieul';
  if (/(m|n|ng|mb)$/.test(word) || /[aeiou][mn]e$/.test(word)) return 'consonant';
  if (/[aeiouy]$/.test(word) || /(er|or|ar|ure|ow|ew)$/.test(word)) return 'vowel';
  if (/[^aeiou][aeiou](ck|k|p|t|b|d|g)$/.test(word)) return 'consonant';
  return 'vowel';
}
