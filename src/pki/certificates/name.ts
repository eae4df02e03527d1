import { asn1, children, oidNode, type Asn1 } from './der.js';
import { forgeUtil } from './forge-parts.js';

/** One attribute of a distinguished name, in the order it appears in the certificate. */
export interface NameAttribute {
  oid: string;
  shortName: string;
  value: string;
}

export interface DistinguishedName {
  attributes: NameAttribute[];
  commonName: string | undefined;
  organizations: string[];
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';

// PrintableString's alphabet (X.680); Go's pkix falls back to UTF8String outside it, and so do we.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** The location fields some tools (cfssl in "Kubernetes the Hard Way") put in a subject; Kubernetes ignores them. */
export interface SubjectLocation {
  country?: string;
  province?: string;
  locality?: string;
  organizationalUnit?: string;
}

/** Build a Name the way Go's pkix.Name does for kubeadm: C, ST, L (when given), each O as its own RDN, OU, then the CN. */
export function nameToAsn1(name: { commonName: string; organizations?: readonly string[]; location?: SubjectLocation }): Asn1 {
  const location = name.location ?? {};
  const optional = (oid: string, value: string | undefined): [string, string][] => (value === undefined ? [] : [[oid, value]]);
  const attributes: [string, string][] = [
    ...optional('2.5.4.6', location.country),
    ...optional('2.5.4.8', location.province),
    ...optional('2.5.4.7', location.locality),
    ...(name.organizations ?? []).map((o): [string, string] => [OID_ORGANIZATION, o]),
    ...optional('2.5.4.11', location.organizationalUnit),
    [OID_COMMON_NAME, name.commonName],
  ];
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    attributes.map(([oid, value]) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oidNode(oid), stringNode(value)]),
      ]),
    ),
  );
}

function stringNode(value: string): Asn1 {
  return PRINTABLE.test(value)
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value)
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forgeUtil.encodeUtf8(value));
}

export function nameFromAsn1(node: Asn1): DistinguishedName {
  const attributes: NameAttribute[] = [];
  for (const rdn of children(node)) {
    for (const pair of children(rdn)) {
      const [oidPart, valuePart] = children(pair);
      if (!oidPart || !valuePart) continue;
      const oid = asn1.derToOid(oidPart.value as string);
      attributes.push({ oid, shortName: SHORT_NAMES[oid] ?? oid, value: decodeString(valuePart) });
    }
  }
  return {
    attributes,
    commonName: attributes.find((a) => a.oid === OID_COMMON_NAME)?.value,
    organizations: attributes.filter((a) => a.oid === OID_ORGANIZATION).map((a) => a.value),
  };
}

function decodeString(node: Asn1): string {
  const raw = node.value;
  if (typeof raw !== 'string') throw new Error('malformed name: an attribute value is a structure, not a string');
  if (node.type === asn1.Type.UTF8) return Buffer.from(raw, 'binary').toString('utf8');
  if (node.type === asn1.Type.BMPSTRING) {
    let text = '';
    for (let i = 0; i + 1 < raw.length; i += 2) text += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return text;
  }
  return raw;
}

/** The one-line form openssl prints: `O = kubeadm:cluster-admins, CN = kubernetes-admin`. */
export function formatName(name: DistinguishedName): string {
  return name.attributes.map((a) => `${a.shortName} = ${escapeValue(a.value)}`).join(', ');
}

function escapeValue(value: string): string {
  return value.replace(/([,+;<>"\\])/g, '\\$1');
}
