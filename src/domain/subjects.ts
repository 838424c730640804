// Subjects (betrokkenen): persons, companies and addresses. Two mentions are the same subject within a scope
// when their match key is equal; that is how a new signal finds "also in SIG-..., CASE-...".
export type SubjectInput =
  | { kind: 'person'; name: string; birthDate: string | null; bsn: string | null }
  | { kind: 'company'; name: string; kvk: string | null }
  | { kind: 'address'; street: string; houseNumber: string; postcode: string; place: string; bagId: string | null };

export type SubjectKind = SubjectInput['kind'];

const fold = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

export function matchKeyOf(s: SubjectInput): string {
  switch (s.kind) {
    case 'person': return s.bsn ? `bsn:${s.bsn}` : `person:${fold(s.name)}|${s.birthDate ?? ''}`;
    case 'company': return s.kvk ? `kvk:${s.kvk}` : `company:${fold(s.name)}`;
    // Postcode, number and street, also when a BAG id is known (a mention with and one without it are the same
    // address). The street matters: a Belgian postcode covers a whole town.
    case 'address': return `address:${s.postcode.replace(/\s/g, '')}|${s.houseNumber.toUpperCase()}|${fold(s.street)}`;
  }
}

export function displayNameOf(s: SubjectInput): string {
  switch (s.kind) {
    case 'person': return s.name;
    case 'company': return s.kvk ? `${s.name} (KvK ${s.kvk})` : s.name;
    case 'address': return `${s.street} ${s.houseNumber}, ${s.postcode} ${s.place}`;
  }
}
