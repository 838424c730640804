// The confidentiality declaration (vertrouwelijkheidsverklaring) a user accepts before their first access in a
// municipality's scopes. Versioned per municipality: a new version asks again.
export interface DeclarationText { version: number; nl: string; en: string }

export const DEFAULT_DECLARATION: DeclarationText = {
  version: 1,
  nl: 'Ik verklaar dat ik de informatie in Weerbaar alleen gebruik voor de bestuurlijke aanpak van ondermijning en alleen voor zover '
    + 'mijn taak dat vereist. Ik deel niets met personen die er geen toegang toe hebben, ook niet binnen mijn organisatie. Ik weet dat '
    + 'de informatie gegevens van strafrechtelijke aard kan bevatten over personen die niet veroordeeld zijn, dat iedere inzage wordt '
    + 'vastgelegd, en dat schending van deze geheimhouding gevolgen kan hebben voor mijn aanstelling en strafbaar kan zijn.',
  en: 'I declare that I use the information in Weerbaar only for the administrative approach to undermining crime and only as far as '
    + 'my task requires. I share nothing with people who have no access to it, also not within my organisation. I know that the '
    + 'information may contain criminal-law data about people who have not been convicted, that every access is logged, and that '
    + 'breaching this confidentiality can affect my employment and can be a criminal offence.',
};

/** The newest declaration the user has not accepted yet, if any. */
export function pendingDeclaration(current: DeclarationText | undefined, acceptedVersions: readonly number[]): DeclarationText | undefined {
  return current && !acceptedVersions.includes(current.version) ? current : undefined;
}
