// Words for the generated data: fictional municipalities, Dutch street names, people, companies, and the free
// text officers write (signal descriptions, journal entries). Everything is made up; nothing names a real person.
import type { Rng } from './random.js';

// ---------------------------------------------------------------------------------------------------------
// Municipalities: fictional names in the style of the demo's "Heidebroek" and "Zoutelaar".

const NAME_HEADS = ['Heide', 'Zout', 'Beek', 'Wester', 'Ooster', 'Noorder', 'Zuider', 'Hoog', 'Laag', 'Veen', 'Berg', 'Dijk', 'Water', 'Bos',
  'Brug', 'Zand', 'Klei', 'Molen', 'Kerk', 'Hof', 'Linde', 'Eiken', 'Vlas', 'Turf', 'Riet', 'Elzen', 'Haven', 'Sluis', 'Kruis', 'Steen'];
const NAME_TAILS = ['broek', 'laar', 'dam', 'dijk', 'veen', 'horst', 'wijk', 'hoven', 'rode', 'loo', 'stein', 'mond', 'zele', 'gem', 'hout'];

/** n distinct municipality names, deterministic. */
export function municipalityNames(rng: Rng, n: number): string[] {
  const all = NAME_HEADS.flatMap((h) => NAME_TAILS.map((t) => h + t));
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, n);
}

/** Channel names of a municipality's team besides the main "Signalen" channel and the "Kerngroep". */
export const CHANNEL_NAMES = ['Handhaving', 'Wijkteam Noord', 'Wijkteam Zuid', 'Wijkteam Oost', 'Wijkteam West', 'Centrum', 'Bedrijventerreinen', 'Buitengebied',
  'Horeca', 'Vastgoed en Bibob', 'Zorg en Veiligheid', 'Mensenhandel', 'Woonfraude', 'Drugs', 'Haven', 'Casusoverleg', 'Signalenoverleg', 'Boa-team',
  'Integrale controles', 'Bibob', 'Openbare orde', 'Jeugd en Veiligheid', 'Ondermijning Algemeen', 'Recreatieparken', 'Stationsgebied', 'Binnenstad',
  'Buurtgericht werken', 'Energie en stroomdiefstal', 'Arbeidsuitbuiting', 'Nachtwinkels'];

// ---------------------------------------------------------------------------------------------------------
// Streets: a first part and a kind, e.g. "Kastanjelaan", "Industrieweg", "Burgemeester de Wittstraat".

const STREET_HEADS = ['Kerk', 'School', 'Molen', 'Dorps', 'Stations', 'Juliana', 'Beatrix', 'Wilhelmina', 'Industrie', 'Nieuw', 'Markt', 'Hoofd',
  'Parallel', 'Emma', 'Oranje', 'Prins Bernhard', 'Kastanje', 'Eiken', 'Linden', 'Berken', 'Beuken', 'Esdoorn', 'Populieren', 'Wilgen', 'Sport',
  'Haven', 'Kanaal', 'Dijk', 'Zuider', 'Noorder', 'Wester', 'Ooster', 'Ambachts', 'Edison', 'Veld', 'Polder', 'Gilde', 'Handels', 'Nijverheids',
  'Energie', 'Van Gogh', 'Rembrandt', 'Vermeer', 'Mozart', 'Beethoven', 'Merel', 'Lijster', 'Mezen', 'Spreeuwen', 'Zwaluw', 'Koekoek', 'Reiger',
  'Tulp', 'Rozen', 'Narcissen', 'Iris', 'Dahlia', 'Goudsbloem', 'Achter', 'Voor', 'Brug', 'Sluis', 'Bleek', 'Vlas', 'Wever', 'Smids', 'Bakkers',
  'Kuipers', 'Turf', 'Zand', 'Klei', 'Heide', 'Bos', 'Park', 'Vijver', 'Weide', 'Akker', 'Boomgaard', 'Hof', 'Klooster', 'Abdij', 'Kasteel', 'Slot',
  'Toren', 'Poort', 'Wal', 'Burgemeester de Witt', 'Burgemeester Visser', 'Pastoor van Arskerk', 'Thorbecke', 'Schaepman', 'Dr. Nolens', 'Koning Albert',
  'Leopold', 'Statie', 'Kapel', 'Kouter', 'Meer', 'Vaart', 'Beemd', 'Broek', 'Ring', 'Lange', 'Korte', 'Hoge', 'Lage', 'Oude', 'Nieuwe', 'Zuid', 'Noord',
  'Steenbakkers', 'Scheepmakers', 'Touwslagers', 'Lakenhal', 'Graan', 'Hooi', 'Vee', 'Paarden', 'Koe', 'Schapen', 'Ganzen', 'Eenden', 'Zwanen'];
const STREET_KINDS = ['straat', 'laan', 'weg', 'plein', 'hof', 'singel', 'kade', 'dreef', 'pad', 'steeg'];
const STREET_KIND_WEIGHTS = [10, 6, 6, 1, 1, 1, 1, 1, 1, 0.5];

function streetName(head: string, kind: string): string {
  // "Prins Bernhard" + "laan" is written "Prins Bernhardlaan"; "Lange" + "straat" as "Lange Straat" reads wrong: keep it simple.
  return `${head}${kind}`;
}

/** n distinct street names for one municipality. */
export function streetNames(rng: Rng, n: number): string[] {
  const seen = new Set<string>();
  const totalWeight = STREET_KIND_WEIGHTS.reduce((a, b) => a + b, 0);
  const cap = STREET_HEADS.length * STREET_KINDS.length;
  while (seen.size < Math.min(n, cap)) {
    let x = rng.next() * totalWeight;
    let k = 0;
    while (x >= STREET_KIND_WEIGHTS[k]) { x -= STREET_KIND_WEIGHTS[k]; k++; }
    seen.add(streetName(rng.pick(STREET_HEADS), STREET_KINDS[k]));
  }
  return [...seen];
}

// ---------------------------------------------------------------------------------------------------------
// People and companies.

export const FIRST_NAMES = ['Mohammed', 'Sanne', 'Daan', 'Emma', 'Lucas', 'Fatima', 'Ahmet', 'Piotr', 'Jan', 'Kees', 'Ayoub', 'Youssef', 'Anna',
  'Maria', 'Sophie', 'Noah', 'Liam', 'Eva', 'Julia', 'Lars', 'Mehmet', 'Ali', 'Hassan', 'Khadija', 'Ilse', 'Bram', 'Ruben', 'Tim', 'Kevin', 'Dennis',
  'Priscilla', 'Rachid', 'Mustafa', 'Dragan', 'Tomasz', 'Agnieszka', 'Ionut', 'Vasile', 'Bogdan', 'Wei', 'Sevda', 'Zeynep', 'Emre', 'Nadia',
  'Samira', 'Romano', 'Stefano', 'Dimitri', 'Olga', 'Natalia', 'Jeroen', 'Marco', 'Patrick', 'Rik', 'Wouter', 'Sander', 'Bas', 'Thijs', 'Joris',
  'Anouk', 'Lotte', 'Fleur', 'Iris', 'Yasmina', 'Bilal', 'Hamza', 'Omar', 'Said', 'Karim', 'Gert', 'Henk', 'Gerrit', 'Wim', 'Hans', 'Peter',
  'Marieke', 'Ingrid', 'Petra', 'Monique', 'Sandra', 'Ricardo', 'Sergio', 'Andrei', 'Mihai', 'Krzysztof', 'Marek', 'Ewa', 'Elif', 'Burak', 'Can'];

export const SURNAMES = ['de Vries', 'Jansen', 'de Jong', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos',
  'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok',
  'Jacobs', 'Vermeulen', 'Peeters', 'Maes', 'Janssens', 'Claes', 'Wouters', 'Goossens', 'Willems', 'Mertens', 'Yilmaz', 'Kaya', 'Demir', 'Çelik',
  'Öztürk', 'Aydın', 'El Amrani', 'Bouzid', 'El Idrissi', 'Benali', 'Ait Taleb', 'Ouali', 'Boukhari', 'Tahiri', 'Kowalski', 'Nowak',
  'Wiśniewski', 'Wójcik', 'Popescu', 'Ionescu', 'Constantin', 'Silva', 'Santos', 'Rossi', 'Esposito', 'Nguyen', 'Tran', 'Singh', 'Ramdin',
  'Kisoensingh', 'Martina', 'Statia', 'Hoekstra', 'van Dijk', 'van den Berg', 'van Dam', 'Koster', 'Prins', 'Huisman', 'Kuipers', 'Veenstra',
  'Schouten', 'Post', 'Kramer', 'van Wijk', 'Sahin', 'Arslan', 'Doğan', 'Koç', 'Bakkali', 'Amrani', 'Haddou', 'Lahlou', 'Petrović', 'Jovanović',
  'Horvat', 'Novak', 'Kovács', 'Nagy', 'Dimitrov', 'Georgiev', 'Lambrecht', 'Desmet', 'Verstraete', 'Van Damme', 'Dubois', 'Lemaire'];

const COMPANY_PATTERNS = ['Autobedrijf {S}', '{S} Holding B.V.', 'Shisha Lounge {X}', 'Barbershop {X}', 'Nagelstudio {X}', 'Uitzendbureau {X} B.V.',
  'Bouwbedrijf {S} en Zn.', '{X} Trading B.V.', 'Car Wash {X}', 'Minimarkt {X}', 'Belwinkel {X}', 'Kapsalon {X}', 'Cafetaria {X}', 'Snackbar {X}',
  'Transportbedrijf {S}', '{S} Vastgoed B.V.', 'Zorgbureau {X}', 'Thuiszorg {X} B.V.', 'Schoonmaakbedrijf {S}', 'Growshop {X}',
  'Import Export {S}', 'Koeriersdienst {X}', 'Café {X}', 'Grillroom {X}', 'Bemiddelingsbureau {X}', 'Beveiligingsbedrijf {X}', 'Sloopbedrijf {S}',
  'Autoverhuur {X}', 'Bandenservice {X}', 'Huisvesting {X} B.V.'];
const COMPANY_WORDS = ['Royal', 'Golden', 'Star', 'Prima', 'Euro', 'Nova', 'Atlas', 'Phoenix', 'Amigo', 'Sultan', 'Istanbul', 'Casablanca',
  'Palermo', 'Babylon', 'Bella', 'City', 'Express', 'Quick', 'Best', 'Top', 'Kristal', 'Diamond', 'Paradise', 'Noordster', 'Delta', 'Orion',
  'Luxor', 'Marrakech', 'Anatolia', 'Balkan', 'Carpathia', 'Victoria', 'Centraal', 'Oase', 'Vision', 'Smart', 'Flex', 'Trust', 'Premium', 'Elite'];

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
}

export function companyName(rng: Rng): string {
  return rng.pick(COMPANY_PATTERNS).replace('{S}', capitalised(rng.pick(SURNAMES))).replace('{X}', rng.pick(COMPANY_WORDS));
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A BSN passing the eleven test (9 digits; 9a + 8b + ... + 2h - i divisible by 11). */
export function bsn(rng: Rng): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => rng.int(0, 9));
    d[0] = rng.int(1, 6);
    const sum = d.reduce((acc, x, i) => acc + x * (9 - i), 0);
    const last = sum % 11;
    if (last <= 9) return [...d, last].join('');
  }
}

// ---------------------------------------------------------------------------------------------------------
// What officers write. Descriptions are built from a sentence per phenomenon and a few common additions, so the
// Dutch full-text search has realistic words to find (stems shared across signals, a long tail of rarer ones).

const WHEN = ["'s nachts", 'in het weekend', 'rond middernacht', 'vroeg in de ochtend', 'op doordeweekse avonden', 'overdag', 'de laatste weken',
  'sinds een paar maanden', 'bijna elke avond', 'op wisselende tijden'];
const VEHICLES = ['busjes met buitenlandse kentekens', "dure auto's", 'een witte bestelbus', 'scooters', 'taxi\'s', 'een vrachtwagen zonder opschrift',
  "auto's met geblindeerde ramen", 'huurauto\'s'];

const DESCRIPTIONS: Record<string, readonly string[]> = {
  hennepteelt: [
    'Sterke hennepgeur bij de woning, ramen op zolder zijn afgeplakt.',
    'Buren ruiken {when} een wietlucht en horen het gezoem van ventilatoren.',
    'Verdacht hoog stroomverbruik volgens de netbeheerder; mogelijk stroomdiefstal en een hennepkwekerij in de schuur.',
    'Condens op de ramen en afgeplakte ramen, bewoners zijn zelden thuis. Mogelijk hennepkwekerij.',
    'Melding van een hennepkwekerij in de loods achter het bedrijfspand; {vehicle} rijden {when} af en aan.',
    'Snijafval van hennepplanten in de container aangetroffen door de reiniging.',
  ],
  drugsproductie: [
    'Chemische lucht en blauwe vaten in de schuur achter de woning.',
    'Dumping van drugsafval in het buitengebied, vaten met chemicaliën langs de weg.',
    'Sterke hennepgeur in de loods, afgeplakte ramen en {vehicle} {when}.',
    'Vermoedelijk synthetisch drugslab in een loods op het bedrijventerrein.',
  ],
  drugslab: [
    'Chemische lucht en blauwe vaten in de schuur achter de woning.',
    'Jerrycans en glaswerk gezien in een loods; {vehicle} {when}.',
    'Dumping van drugsafval, vaten met een sterke anijslucht langs het fietspad.',
    'Boer meldt dat een schuur is verhuurd aan onbekenden die contant betalen; chemische lucht.',
  ],
  drugshandel: [
    'Veel kort bezoek aan de woning {when}; vermoedelijk drugshandel vanuit de woning.',
    'Overdrachten op straat bij de ingang van het portiek, {vehicle} stoppen kort.',
    'Dealen vanuit een geparkeerde auto, wisselende jongeren als koerier.',
    'Buurtbewoners melden drugshandel en overlast bij het speelveld {when}.',
    'Bolletjesslikkers vermoed; bewoner ontvangt veel pakketten en kort bezoek.',
  ],
  mensenhandel: [
    'Arbeidsmigranten wonen met te veel personen in een woning; uitbuiting door de werkgever vermoed.',
    'Vrouwen worden {when} met {vehicle} opgehaald en weggebracht; mogelijk seksuele uitbuiting.',
    'Medewerkers van een nagelstudio lijken niet vrij te kunnen gaan en staan; paspoorten ingenomen?',
    'Uitzendbureau huisvest arbeidsmigranten in een vakantiepark, loon wordt ingehouden voor huur.',
    'Signaal van het wijkteam over mogelijke arbeidsuitbuiting in een car wash.',
  ],
  witwassen: [
    'Grote contante betalingen bij de aankoop van panden, eigenaar heeft geen zichtbaar inkomen.',
    'Onderneming draait nauwelijks omzet maar investeert fors; mogelijk witwassen.',
    'Dure auto\'s op naam van een B.V. zonder activiteiten; contant geld bij controle aangetroffen.',
    'Snelle opeenvolgende verkopen van hetzelfde pand met oplopende prijs.',
  ],
  vastgoed: [
    'Pand wordt steeds doorverkocht aan dezelfde personen met wisselende B.V.\'s; katvangers vermoed.',
    'Eigenaar verhuurt kamers zonder vergunning; overbewoning en brandgevaarlijke situatie.',
    'Leegstaand bedrijfspand met verduisterde ramen; huurder onbekend bij de verhuurder.',
    'Huisjesmelker verhuurt kelderboxen als woonruimte; huur contant.',
  ],
  horeca: [
    'Shishalounge is {when} open terwijl er geen vergunning is; overlast en vechtpartijen.',
    'Horecazaak met weinig klanten maar hoge omzet; exploitant wisselt vaak.',
    'Nachtwinkel verkoopt alcohol na sluitingstijd en lachgas; vermoedelijk dekmantel.',
    'Café staat op naam van een stroman; eigenaar heeft een strafblad voor drugshandel.',
    'Bibob-signaal: vergunningaanvrager blijkt verbonden aan een gesloten zaak.',
  ],
  zorgfraude: [
    'Zorgbureau declareert uren bij cliënten die in het buitenland verblijven.',
    'Thuiszorgorganisatie zonder personeel op het adres; pgb-gelden vermoedelijk misbruikt.',
    'Cliënten van een zorgaanbieder wonen in een pand dat niet geschikt is; zorgfraude vermoed.',
  ],
  woonfraude: [
    'Op het adres staan veel meer personen ingeschreven dan er wonen; adresfraude vermoed.',
    'Woning wordt onderverhuurd via internet; bewoners wisselen wekelijks.',
    'Brievenbus vol post voor verschillende namen; postadres voor uitkeringsfraude?',
    'Sociale huurwoning lijkt leeg te staan; huurder woont elders.',
  ],
  domiciliefraude: [
    'Op het adres zijn meer personen gedomicilieerd dan er wonen; domiciliefraude vermoed.',
    'Brievenbusfirma\'s op een privéadres, niemand aanwezig bij controle.',
    'Woning wordt onderverhuurd; bewoners wisselen wekelijks.',
  ],
  malafide_bedrijvigheid: [
    'Bedrijf op het bedrijventerrein met wisselende huurders en {vehicle} {when}.',
    'Autobedrijf verkoopt auto\'s zonder administratie; contant betaald.',
    'Kluisjesbedrijf trekt {when} bezoekers zonder duidelijke reden.',
    'Car wash met weinig klanten, medewerkers krijgen contant betaald.',
    'Belwinkel met weinig klanten; mogelijk dekmantel voor witwassen of handel.',
    'Opslagboxen worden gehuurd op valse namen; verdachte goederen gezien.',
  ],
  overig: [
    'Verdachte situatie gemeld door een buurtbewoner; nader onderzoek gewenst.',
    'Opvallend veel beveiligingscamera\'s en een hoog hek rond een gewone woning.',
    'Intimidatie van een ambtenaar bij een controle; bewoner dreigde met represailles.',
    'Explosie bij de voordeur van een woning {when}; eerder incident op hetzelfde adres.',
  ],
};

const ADDITIONS = ['Melder wil anoniem blijven.', 'Buren klagen over overlast.', 'Eerder gemeld bij de politie.', 'Pand staat op naam van een B.V.',
  'Veel wisselende bewoners.', 'Bij controle niemand aangetroffen.', 'Wijkagent is op de hoogte.', 'Signaal afkomstig uit het buurtonderzoek.',
  'Verhuurder reageert niet op brieven.', 'Camerabeelden zijn opgevraagd.', 'De woningcorporatie heeft hetzelfde gezien.',
  'Er zou contant worden betaald.', 'Zelfde adres komt voor in een eerder signaal.', 'Melding via Meld Misdaad Anoniem.',
  'Ook gezien door de boa\'s tijdens de avonddienst.', 'Eigenaar heeft meerdere panden in de wijk.'];

export function description(rng: Rng, phenomenon: string): string {
  const sentences = DESCRIPTIONS[phenomenon] ?? DESCRIPTIONS.overig;
  let text = rng.pick(sentences).replace('{when}', rng.pick(WHEN)).replace('{vehicle}', rng.pick(VEHICLES));
  const extra = rng.next() < 0.55 ? 1 : rng.next() < 0.4 ? 2 : 0;
  for (let i = 0; i < extra; i++) text += ` ${rng.pick(ADDITIONS)}`;
  return text;
}

/** Words an officer types into `zoek` (stems of words in the descriptions; the last few rarely or never occur). */
export const FREE_TEXT_QUERIES = ['hennepkwekerij', 'afgeplakte ramen', 'stroomdiefstal', 'chemische lucht', 'vaten', 'contant', 'arbeidsmigranten',
  'uitbuiting', 'overbewoning', 'shishalounge', 'nachtwinkel', 'witwassen', 'kort bezoek', 'katvangers', 'adresfraude', 'bestelbus', 'drugsafval',
  'car wash', 'kluisjesbedrijf', 'explosie', 'zonnepanelen', 'vakantiepark'];

const ENTRY_TEXTS: Record<string, readonly string[]> = {
  waarneming: ['Ter plaatse gekeken: {obs}.', 'Tijdens de avonddienst langs het adres gereden: {obs}.', 'Buurtonderzoek gedaan: {obs}.'],
  handeling: ['Registers geraadpleegd (BRP, KvK, BAG); {reg}.', 'Brief gestuurd aan de eigenaar met het verzoek om contact op te nemen.',
    'Integrale controle aangevraagd bij het handhavingsteam.', 'Signaal besproken met de wijkagent; die houdt het adres in de gaten.'],
  verkregen_informatie: ['Netbeheerder meldt een afwijkend stroomverbruik op het adres.', 'Politie bevestigt eerdere meldingen op het adres.',
    'Woningcorporatie meldt dat de huurder elders lijkt te wonen.', 'Belastingdienst heeft het bedrijf in beeld.', 'RIEC ziet samenhang met andere signalen in de regio.'],
  contact_partner: ['Overleg met het RIEC over een integrale aanpak.', 'Contact met de woningcorporatie over een gezamenlijk huisbezoek.',
    'Afstemming met de politie over de timing van een controle.', 'Zorgkantoor gevraagd naar de declaraties van de aanbieder.'],
};
const OBSERVATIONS = ['ramen nog steeds afgeplakt', 'geen bijzonderheden', 'hennepgeur waarneembaar', 'veel verkeer van en naar het pand', 'niemand thuis',
  'nieuwe sloten op de deur', 'containers met afval achter het pand', 'bewoners weigerden medewerking'];
const REGISTRY = ['zeven personen ingeschreven op het adres', 'de B.V. is vorig jaar opgericht', 'pand is twee keer verkocht in een jaar',
  'geen bijzonderheden', 'bestuurder staat ook ingeschreven bij een ander bedrijf op dit adres'];

export const USER_ENTRY_KINDS = ['waarneming', 'handeling', 'verkregen_informatie', 'contact_partner'] as const;

export function entryText(rng: Rng, kind: (typeof USER_ENTRY_KINDS)[number]): string {
  return rng.pick(ENTRY_TEXTS[kind]).replace('{obs}', rng.pick(OBSERVATIONS)).replace('{reg}', rng.pick(REGISTRY));
}

export const CLOSING_REASONS = ['Geen aanwijzingen voor ondermijning gevonden na verrijking.', 'Onvoldoende informatie om verder te gaan.',
  'Situatie is opgelost: bewoners zijn vertrokken.', 'Dubbel signaal; opgenomen in een eerder signaal.', 'Geen rol voor de gemeente; melder doorverwezen.'];
export const HANDOVER_REASONS = ['Strafrechtelijke aanpak ligt meer voor de hand.', 'Partner heeft de bevoegdheden en de informatiepositie.',
  'Fiscale kant wordt door de partner opgepakt.', 'Onderdeel van een lopend onderzoek bij de partner.'];
export const CASE_TITLES = ['Hennepteelt en stroomdiefstal {street}', 'Malafide bedrijvigheid bedrijventerrein {street}', 'Uitbuiting arbeidsmigranten {street}',
  'Horecapand {street}', 'Vastgoedtransacties {street}', 'Drugshandel vanuit woning {street}', 'Woonfraude {street}', 'Zorgaanbieder {street}'];
