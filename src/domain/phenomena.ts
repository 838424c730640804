// Default phenomenon sets; a municipality's own list (configuration) replaces them.

/** termDays: working days from filing to a decision (enrich, promote, hand over or close) before it is overdue. */
export interface Phenomenon { code: string; nl: string; en: string; termDays?: number }

export const DEFAULT_TERM_DAYS = 20;

export const NL_PHENOMENA: readonly Phenomenon[] = [
  { code: 'hennepteelt', nl: 'Hennepteelt', en: 'Cannabis cultivation' },
  { code: 'drugslab', nl: 'Drugslab', en: 'Drug lab', termDays: 5 },
  { code: 'drugshandel', nl: 'Drugshandel', en: 'Drug dealing' },
  { code: 'mensenhandel', nl: 'Mensenhandel / uitbuiting', en: 'Human trafficking / exploitation', termDays: 10 },
  { code: 'witwassen', nl: 'Witwassen', en: 'Money laundering' },
  { code: 'vastgoed', nl: 'Vastgoed', en: 'Real estate' },
  { code: 'horeca', nl: 'Horeca', en: 'Hospitality' },
  { code: 'zorgfraude', nl: 'Zorgfraude', en: 'Care fraud' },
  { code: 'woonfraude', nl: 'Woon- / adresfraude', en: 'Housing / address fraud' },
  { code: 'malafide_bedrijvigheid', nl: 'Malafide bedrijvigheid', en: 'Rogue businesses' },
  { code: 'overig', nl: 'Overig', en: 'Other' },
];

// Belgian practice names a few phenomena differently and adds the ones its enforcement law names explicitly.
export const BE_PHENOMENA: readonly Phenomenon[] = [
  { code: 'drugsproductie', nl: 'Drugsproductie (cannabis, synthetisch)', en: 'Drug production (cannabis, synthetic)', termDays: 10 },
  { code: 'drugshandel', nl: 'Drugshandel', en: 'Drug dealing' },
  { code: 'mensenhandel', nl: 'Mensenhandel / economische uitbuiting', en: 'Human trafficking / economic exploitation', termDays: 10 },
  { code: 'witwassen', nl: 'Witwassen', en: 'Money laundering' },
  { code: 'vastgoed', nl: 'Vastgoed / huisjesmelkerij', en: 'Real estate / slum landlords' },
  { code: 'horeca', nl: 'Horeca en nachtwinkels', en: 'Hospitality and night shops' },
  { code: 'domiciliefraude', nl: 'Domiciliefraude', en: 'Address fraud' },
  { code: 'malafide_bedrijvigheid', nl: 'Malafide bedrijvigheid', en: 'Rogue businesses' },
  { code: 'overig', nl: 'Overig', en: 'Other' },
];

export function defaultPhenomena(country: 'NL' | 'BE'): readonly Phenomenon[] {
  return country === 'BE' ? BE_PHENOMENA : NL_PHENOMENA;
}

export function termDaysOf(list: readonly Phenomenon[], code: string): number {
  return list.find((p) => p.code === code)?.termDays ?? DEFAULT_TERM_DAYS;
}
