// User-facing text, Dutch first, English from the Teams locale. Placeholders are {name}.
import type { Locale } from '../domain/caller.js';

const nl = {
  'help.title': 'Weerbaar',
  'help.intro': 'Weerbaar ondersteunt de bestuurlijke aanpak van ondermijning: signalen vastleggen, het journaal bijhouden en het overleg voorbereiden, per kanaal afgeschermd.',
  'help.commands': 'Opdrachten',
  'help.cmd.newSignal': 'Een signaal melden (formulier)',
  'help.cmd.signals': 'De laatste signalen (in een kanaal: die van dat kanaal)',
  'help.cmd.signal': 'Een signaal openen, bijvoorbeeld signaal SIG-2026-0001',
  'help.cmd.help': 'Deze uitleg',
  'help.unknown': 'Die opdracht ken ik niet. Dit kan ik wel:',
  'help.confidential': 'Alles wat u hier vastlegt is vertrouwelijk en wordt alleen gedeeld met de leden van het kanaal. Iedere inzage wordt gelogd.',
  'help.button.newSignal': 'Nieuw signaal',
  'form.title': 'Nieuw signaal',
  'form.intro': 'Leg vast wat u hebt gezien of gehoord. Vul zo feitelijk mogelijk in; vermoedens mag u als zodanig benoemen.',
  'form.scope': 'Kanaal',
  'form.scope.placeholder': 'Kies het kanaal waarvoor dit signaal is',
  'form.phenomenon': 'Fenomeen',
  'form.phenomenon.placeholder': 'Kies een fenomeen',
  'form.description': 'Omschrijving',
  'form.description.placeholder': 'Wat is er aan de hand? Wie of wat is erbij betrokken?',
  'form.location': 'Locatie',
  'form.location.placeholder': 'Straat, huisnummer, plaats',
  'form.observedOn': 'Datum waargenomen',
  'form.submit': 'Signaal vastleggen',
  'form.openDialog': 'Openen als venster',
  'form.hasErrors': 'Niet alles is goed ingevuld. Pas de gemarkeerde velden aan; uw invoer is bewaard.',
  'form.confidential': 'Vertrouwelijk: alleen voor leden van het gekozen kanaal.',
  'form.confidential.channel': 'Vertrouwelijk: alleen voor leden van dit kanaal.',
  'error.required': 'Dit veld is verplicht.',
  'error.tooShort': 'Te kort: gebruik minstens {limit} tekens.',
  'error.tooLong': 'Te lang: gebruik hoogstens {limit} tekens.',
  'error.unknownChoice': 'Kies een van de mogelijkheden uit de lijst.',
  'error.invalidDate': 'Geen geldige datum (jjjj-mm-dd).',
  'error.dateInFuture': 'De datum ligt in de toekomst.',
  'error.dateTooOld': 'De datum ligt vóór {limit}.',
  'signal.title': 'Signaal {reference}',
  'signal.phenomenon': 'Fenomeen',
  'signal.status': 'Status',
  'signal.location': 'Locatie',
  'signal.observedOn': 'Waargenomen op',
  'signal.reporter': 'Gemeld door',
  'signal.scope': 'Kanaal',
  'signal.recorded': 'Vastgelegd op {date}.',
  'signal.duplicate': 'Dit formulier was al verwerkt; er is niets dubbel vastgelegd.',
  'signal.saved': 'Signaal {reference} is vastgelegd.',
  'status.nieuw': 'Nieuw',
  'status.in_verrijking': 'In verrijking',
  'status.klaar_voor_overleg': 'Klaar voor overleg',
  'status.besproken': 'Besproken',
  'status.casus': 'Casus',
  'status.overgedragen': 'Overgedragen',
  'status.afgesloten': 'Afgesloten',
  'list.title': 'Signalen',
  'list.empty': 'Er zijn hier nog geen signalen.',
  'list.count': '{shown} van {total} signalen, nieuwste eerst. Open een signaal met: signaal ‹referentie›.',
  'notFound': 'Signaal {reference} bestaat niet of u hebt er geen toegang toe.',
  'usage.signal': 'Geef een referentie op, bijvoorbeeld: signaal SIG-2026-0001.',
  'refused.noScope': 'U bent (nog) geen lid van een kanaal waarin Weerbaar is geïnstalleerd, of dit kanaal is nog niet geregistreerd. Vraag de coördinator om Weerbaar in uw kanaal toe te voegen.',
  'refused.notLinked': 'Dit kanaal is nog niet aan een gemeente gekoppeld. Vraag een beheerder om dat te doen.',
  'refused.forbidden': 'Uw rol in dit kanaal geeft geen toegang tot deze gegevens.',
  'refused.tenant': 'Weerbaar is niet beschikbaar voor uw organisatie.',
  'error.internal': 'Er ging iets mis aan onze kant. Probeer het zo nog eens. Noem bij een melding deze code: {correlationId}.',
} as const;

export type StringKey = keyof typeof nl;

const en: Record<StringKey, string> = {
  'help.title': 'Weerbaar',
  'help.intro': 'Weerbaar supports the administrative approach to undermining crime: record signals, keep the journal and prepare the overleg, protected per channel.',
  'help.commands': 'Commands',
  'help.cmd.newSignal': 'Report a signal (form)',
  'help.cmd.signals': 'The latest signals (in a channel: that channel\'s)',
  'help.cmd.signal': 'Open a signal, for example signal SIG-2026-0001',
  'help.cmd.help': 'This help',
  'help.unknown': "I don't know that command. This is what I can do:",
  'help.confidential': 'Everything you record here is confidential and shared only with the members of the channel. Every access is logged.',
  'help.button.newSignal': 'New signal',
  'form.title': 'New signal',
  'form.intro': 'Record what you saw or heard. Stick to the facts; name suspicions as such.',
  'form.scope': 'Channel',
  'form.scope.placeholder': 'Choose the channel this signal is for',
  'form.phenomenon': 'Phenomenon',
  'form.phenomenon.placeholder': 'Choose a phenomenon',
  'form.description': 'Description',
  'form.description.placeholder': 'What is going on? Who or what is involved?',
  'form.location': 'Location',
  'form.location.placeholder': 'Street, number, town',
  'form.observedOn': 'Date observed',
  'form.submit': 'Record signal',
  'form.openDialog': 'Open as dialog',
  'form.hasErrors': 'Some fields need attention. Correct the marked fields; your input has been kept.',
  'form.confidential': 'Confidential: for members of the chosen channel only.',
  'form.confidential.channel': 'Confidential: for members of this channel only.',
  'error.required': 'This field is required.',
  'error.tooShort': 'Too short: use at least {limit} characters.',
  'error.tooLong': 'Too long: use at most {limit} characters.',
  'error.unknownChoice': 'Choose one of the options in the list.',
  'error.invalidDate': 'Not a valid date (yyyy-mm-dd).',
  'error.dateInFuture': 'The date is in the future.',
  'error.dateTooOld': 'The date is before {limit}.',
  'signal.title': 'Signal {reference}',
  'signal.phenomenon': 'Phenomenon',
  'signal.status': 'Status',
  'signal.location': 'Location',
  'signal.observedOn': 'Observed on',
  'signal.reporter': 'Reported by',
  'signal.scope': 'Channel',
  'signal.recorded': 'Recorded on {date}.',
  'signal.duplicate': 'This form had already been processed; nothing was recorded twice.',
  'signal.saved': 'Signal {reference} has been recorded.',
  'status.nieuw': 'New',
  'status.in_verrijking': 'Being enriched',
  'status.klaar_voor_overleg': 'Ready for overleg',
  'status.besproken': 'Discussed',
  'status.casus': 'Case',
  'status.overgedragen': 'Handed over',
  'status.afgesloten': 'Closed',
  'list.title': 'Signals',
  'list.empty': 'There are no signals here yet.',
  'list.count': '{shown} of {total} signals, newest first. Open one with: signal ‹reference›.',
  'notFound': 'Signal {reference} does not exist or you have no access to it.',
  'usage.signal': 'Give a reference, for example: signal SIG-2026-0001.',
  'refused.noScope': 'You are not (yet) a member of a channel where Weerbaar is installed, or this channel is not registered yet. Ask your coordinator to add Weerbaar to your channel.',
  'refused.notLinked': 'This channel is not linked to a municipality yet. Ask an administrator to do so.',
  'refused.forbidden': 'Your role in this channel gives no access to this information.',
  'refused.tenant': 'Weerbaar is not available for your organisation.',
  'error.internal': 'Something went wrong on our side. Please try again shortly. If you report it, quote this code: {correlationId}.',
};

const TABLES: Record<Locale, Record<StringKey, string>> = { nl, en };

export function t(locale: Locale, key: StringKey, params: Record<string, string | number> = {}): string {
  return TABLES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Teams sends e.g. "nl-NL", "en-US", "nl-BE"; everything not English gets Dutch. */
export function localeOf(teamsLocale: string | undefined): Locale {
  return teamsLocale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function formatDate(locale: Locale, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatDateTime(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(at);
}
