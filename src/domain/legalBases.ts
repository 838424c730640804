// Legal bases offered in forms; a municipality's privacy protocol (configuration) replaces these defaults.
export interface LegalBasis { code: string; nl: string; en: string }

export const NL_LEGAL_BASES: readonly LegalBasis[] = [
  { code: 'avg_6_1_e', nl: 'AVG art. 6 lid 1 sub e (publieke taak)', en: 'GDPR art. 6(1)(e) (public task)' },
  { code: 'gemw_172', nl: 'Gemeentewet art. 172 (openbare orde)', en: 'Municipalities Act art. 172 (public order)' },
  { code: 'opiumwet_13b', nl: 'Opiumwet art. 13b (sluiting)', en: 'Opium Act art. 13b (closure)' },
  { code: 'wet_bibob', nl: 'Wet Bibob', en: 'Bibob Act' },
  { code: 'convenant_riec', nl: 'RIEC-convenant (gegevensdeling)', en: 'RIEC covenant (data sharing)' },
];

export const BE_LEGAL_BASES: readonly LegalBasis[] = [
  { code: 'avg_6_1_e', nl: 'AVG art. 6.1.e (taak van algemeen belang)', en: 'GDPR art. 6(1)(e) (public interest task)' },
  { code: 'wet_bestuurlijke_handhaving', nl: 'Wet van 15 januari 2024 (gemeentelijke bestuurlijke handhaving)', en: 'Act of 15 January 2024 (municipal administrative enforcement)' },
  { code: 'ngw_134quater', nl: 'Nieuwe Gemeentewet art. 134quater (sluiting)', en: 'New Municipalities Act art. 134quater (closure)' },
  { code: 'protocol_ariec', nl: 'Protocolakkoord ARIEC', en: 'ARIEC protocol agreement' },
];

export function defaultLegalBases(country: 'NL' | 'BE'): readonly LegalBasis[] {
  return country === 'BE' ? BE_LEGAL_BASES : NL_LEGAL_BASES;
}
