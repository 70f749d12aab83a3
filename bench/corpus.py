"""A deterministic corpus of service stories for the search benchmark.

Stories are assembled from sentence templates about the situations a customer-care
team meets every day (late deliveries and birthdays, refunds, apologies, broken
products, moving house, bereavement, subscriptions, invoices), in Dutch (60 %) and
English (40 %), 150-450 words each, in Markdown with the odd bold phrase, list or
quote. Slots (names, products, cities, carriers, amounts, order numbers) give the index
a realistic long tail of terms; order numbers are unique per story.

Everything comes from ``random.Random(f"{seed}:{chunk}")``: the same seed and size give
the same corpus on every machine, in any number of worker processes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

CORPUS_VERSION = 1
CHUNK = 1000
NL_SHARE = 0.6
MIN_WORDS, MAX_WORDS = 150, 450
# Stories are spread over the two years before this moment.
END = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)
SPAN_DAYS = 730

TEAMS = [
    ("retail", "Retail", 24),
    ("online", "Online", 20),
    ("bezorging", "Bezorging", 14),
    ("retouren", "Retouren", 10),
    ("zakelijk", "Zakelijk", 9),
    ("abonnementen", "Abonnementen", 8),
    ("social-care", "Social Care", 8),
    ("winkels", "Winkels", 7),
]
CHANNELS = [("phone", 35), ("chat", 25), ("email", 20), ("social", 10), ("store", 10)]
# Seeded by the first migration.
THEMES = [
    ("real-conversation", 14),
    ("stand-up", 12),
    ("storytelling", 10),
    ("no-limits", 6),
    ("team", 6),
    ("training", 5),
    ("tools", 6),
    ("time-place", 3),
    ("tone-of-voice", 7),
    ("team-support", 5),
]
CUSTOMER_SHARE = 0.2

FIRST_NAMES = [
    "Jan",
    "Sanne",
    "Pieter",
    "Fatima",
    "Mohammed",
    "Daan",
    "Emma",
    "Lotte",
    "Bram",
    "Anouk",
    "Henk",
    "Ingrid",
    "Ruud",
    "Yvonne",
    "Kees",
    "Marieke",
    "Sven",
    "Noor",
    "Thijs",
    "Eva",
    "Lucas",
    "Julia",
    "Milan",
    "Sara",
    "Bas",
    "Femke",
    "Joost",
    "Esther",
    "Ahmed",
    "Yasmin",
    "Willem",
    "Annelies",
    "Gerrit",
    "Tineke",
    "Koen",
    "Lisa",
    "Ruben",
    "Iris",
    "Stijn",
    "Floor",
    "Hans",
    "Wilma",
    "Rik",
    "Mila",
    "Dirk",
    "Petra",
    "Tom",
    "Naomi",
    "Jeroen",
    "Linda",
    "Erik",
    "Sophie",
    "Mark",
    "Laura",
    "Youssef",
    "Samira",
    "Niels",
    "Charlotte",
    "Martijn",
    "Kim",
    "Frank",
    "Monique",
    "Arjen",
    "Nadia",
    "Wouter",
    "Renske",
    "Hugo",
    "Bo",
    "Levi",
    "Zoë",
    "Chloë",
    "René",
    "André",
    "Mehmet",
    "Ayşe",
    "Priya",
    "Kofi",
    "Grace",
    "Olga",
    "Piotr",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Bouzid",
    "Nguyen",
    "Öztürk",
]
CITIES = [
    "Amsterdam",
    "Utrecht",
    "Rotterdam",
    "Eindhoven",
    "Groningen",
    "Zwolle",
    "Almere",
    "Breda",
    "Nijmegen",
    "Tilburg",
    "Haarlem",
    "Arnhem",
    "Leeuwarden",
    "Maastricht",
    "Delft",
    "Leiden",
    "Amersfoort",
    "Apeldoorn",
    "Enschede",
    "Dordrecht",
    "Zaandam",
    "Deventer",
    "Alkmaar",
    "Hilversum",
    "Venlo",
    "Helmond",
    "Middelburg",
    "Assen",
    "Emmen",
    "Roermond",
    "Gouda",
    "Schiedam",
    "Lelystad",
    "Hoorn",
    "Harderwijk",
    "Zutphen",
    "Sneek",
    "Terneuzen",
    "Oss",
]
CARRIERS = {
    "nl": [
        "PostNL",
        "DHL",
        "DPD",
        "GLS",
        "onze eigen bezorgdienst",
        "een fietskoerier",
        "de avondbezorging",
    ],
    "en": [
        "PostNL",
        "DHL",
        "DPD",
        "GLS",
        "our own courier",
        "a bike courier",
        "the evening delivery service",
    ],
}
PRODUCTS = {
    "nl": [
        "kinderwagen",
        "wasmachine",
        "laptop",
        "fiets",
        "koptelefoon",
        "speelgoedtrein",
        "legodoos",
        "horloge",
        "telefoon",
        "koelkast",
        "stofzuiger",
        "tablet",
        "spelcomputer",
        "boeket bloemen",
        "verrekijker",
        "tent",
        "matras",
        "babyfoon",
        "elektrische tandenborstel",
        "koffiemachine",
        "step",
        "skateboard",
        "puzzel",
        "knuffelbeer",
        "winterjas",
        "wandelschoenen",
        "voetbal",
        "gitaar",
        "keukenmixer",
        "droger",
        "televisie",
        "printer",
        "camera",
        "bureaustoel",
        "kinderfiets",
        "poppenhuis",
        "aquarium",
        "boormachine",
        "barbecue",
        "parfum",
        "sieradendoosje",
        "fotoalbum",
        "verjaardagstaart",
        "racefiets",
        "e-reader",
        "smartwatch",
    ],
    "en": [
        "pram",
        "washing machine",
        "laptop",
        "bicycle",
        "pair of headphones",
        "toy train",
        "Lego set",
        "watch",
        "phone",
        "fridge",
        "vacuum cleaner",
        "tablet",
        "games console",
        "bouquet of flowers",
        "pair of binoculars",
        "tent",
        "mattress",
        "baby monitor",
        "electric toothbrush",
        "coffee machine",
        "scooter",
        "skateboard",
        "jigsaw puzzle",
        "teddy bear",
        "winter coat",
        "pair of hiking boots",
        "football",
        "guitar",
        "food mixer",
        "tumble dryer",
        "television",
        "printer",
        "camera",
        "desk chair",
        "children's bike",
        "doll's house",
        "aquarium",
        "drill",
        "barbecue",
        "bottle of perfume",
        "jewellery box",
        "photo album",
        "birthday cake",
        "road bike",
        "e-reader",
        "smartwatch",
    ],
}
RELATIVES = {
    "nl": [
        "dochter",
        "zoon",
        "vrouw",
        "man",
        "moeder",
        "vader",
        "oma",
        "opa",
        "kleinzoon",
        "kleindochter",
        "buurvrouw",
        "beste vriendin",
        "schoonmoeder",
        "nichtje",
        "neefje",
    ],
    "en": [
        "daughter",
        "son",
        "wife",
        "husband",
        "mother",
        "father",
        "grandmother",
        "grandfather",
        "grandson",
        "granddaughter",
        "neighbour",
        "best friend",
        "mother-in-law",
        "niece",
        "nephew",
    ],
}
DAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
WEEKS = {"nl": ["twee", "drie", "vier", "vijf"], "en": ["two", "three", "four", "five"]}
OCCASIONS = {
    "nl": [
        "verjaardag",
        "bruiloft",
        "jubileum",
        "diploma-uitreiking",
        "eerste schooldag",
        "geboorte",
        "pensioen",
        "housewarming",
    ],
    "en": [
        "birthday",
        "wedding",
        "anniversary",
        "graduation",
        "first day at school",
        "new baby",
        "retirement",
        "housewarming",
    ],
}

# Each topic: title templates and sentences, per language. Sentences are drawn without
# replacement from the topic's pool and the general pool until the word target is met.
TOPICS: dict[str, dict[str, dict[str, list[str]]]] = {
    "birthday": {
        "nl": {
            "titles": [
                "Het verjaardagscadeau voor zijn {relative} kwam toch vandaag",
                "{name} kreeg de {product} nog op tijd voor de {occasion}",
                "Bezorging dezelfde dag voor een jarige {relative}",
                "Geen 'morgen', maar vandaag nog: een {product} voor de {occasion}",
                "Hoe we een {occasion} in {city} hebben gered",
            ],
            "sentences": [
                "Een klant belde om te vragen waar zijn bestelling {order} bleef.",
                "Het snelle antwoord was geweest: die wordt morgen bezorgd.",
                "Ik vroeg wat hij precies had besteld en voor wie het was.",
                "Het bleek een {product} te zijn, een cadeau voor zijn {relative}.",
                "Zijn {relative} was vandaag jarig, en het feest begon om zes uur.",
                "Ik hoorde aan zijn stem hoe teleurgesteld hij was.",
                "Volgens het systeem lag het pakket nog in het depot bij {carrier}.",
                "Ik heb het depot zelf gebeld en gevraagd of iemand het pakket kon opzoeken.",
                "Een collega van de bezorging reed na haar dienst langs {city} en nam het mee.",
                "Om {clock} stond de bezorger met de {product} bij hem op de stoep.",
                "Hij stuurde later een foto van zijn {relative} met het cadeau.",
                "De verjaardag was gered, en dat hoorden we de volgende dag van {name} zelf.",
                "Bestellingen voor een verjaardag krijgen bij ons sindsdien een notitie in het dossier.",
                "Voor de {occasion} van zijn {relative} wilde hij niets aan het toeval overlaten.",
                "De bezorging stond gepland voor {day}, maar dat was een dag te laat.",
                "Ik heb beloofd om hem terug te bellen zodra ik meer wist, en dat heb ik gedaan.",
            ],
        },
        "en": {
            "titles": [
                "The birthday present for his {relative} arrived today after all",
                "{name} got the {product} just in time for the {occasion}",
                "Same-day delivery for a {relative} with a birthday",
                "Not 'tomorrow' but today: a {product} for the {occasion}",
                "How we rescued a {occasion} in {city}",
            ],
            "sentences": [
                "A customer called to ask where his order {order} was.",
                "The quick answer would have been: it will be delivered tomorrow.",
                "I asked what he had ordered and who it was for.",
                "It turned out to be a {product}, a present for his {relative}.",
                "His {relative} had a birthday today, and the party started at six.",
                "I could hear in his voice how disappointed he was.",
                "According to the system the parcel was still at the {carrier} depot.",
                "I called the depot myself and asked whether someone could find the parcel.",
                "A colleague from deliveries drove past {city} after her shift and took it along.",
                "At {clock} the courier was at his door with the {product}.",
                "He later sent us a photo of his {relative} with the present.",
                "The birthday was saved, and we heard it the next day from {name} himself.",
                "Since then, orders for a birthday get a note in the customer file.",
                "For the {occasion} of his {relative} he did not want to leave anything to chance.",
                "The delivery was planned for {day}, but that was one day too late.",
                "I promised to call him back as soon as I knew more, and I did.",
            ],
        },
    },
    "refund": {
        "nl": {
            "titles": [
                "Terugbetaling van €{amount} binnen een uur geregeld",
                "{name} wachtte {weeks} weken op haar geld",
                "De retour die nergens te vinden was",
                "Eerst terugbetalen, dan pas uitzoeken",
            ],
            "sentences": [
                "De terugbetaling van €{amount} was na {weeks} weken nog steeds niet binnen.",
                "Volgens ons systeem was de retour nooit aangekomen in het magazijn.",
                "{name} had het verzendbewijs van {carrier} gewoon bewaard en stuurde het mee.",
                "Ze had al drie keer gebeld en elke keer een ander antwoord gekregen.",
                "Ik heb de terugbetaling direct zelf in gang gezet, zonder op het magazijn te wachten.",
                "Het proces zegt dat we eerst de retour moeten ontvangen, maar dat duurde te lang.",
                "Binnen een uur stond het geld weer op haar rekening.",
                "Later bleek het pakket op een verkeerde plank in het retourcentrum te liggen.",
                "De klant had de {product} retour gestuurd omdat de maat niet goed was.",
                "Ik heb uitgelegd wat er mis was gegaan, zonder het mooier te maken dan het was.",
                "Ze zei dat ze nog nooit zo snel haar geld terug had gekregen.",
                "We hebben de werkinstructie voor retouren met bewijs van verzending aangepast.",
                "Een terugbetaling is geen gunst, het is haar eigen geld.",
            ],
        },
        "en": {
            "titles": [
                "A refund of €{amount} sorted within the hour",
                "{name} waited {weeks} weeks for her money",
                "The return that could not be found",
                "Refund first, investigate later",
            ],
            "sentences": [
                "The refund of €{amount} had still not arrived after {weeks} weeks.",
                "According to our system the return had never reached the warehouse.",
                "{name} had kept the {carrier} proof of postage and sent it along.",
                "She had already called three times and got a different answer each time.",
                "I started the refund myself straight away, without waiting for the warehouse.",
                "The process says we must receive the return first, but that took too long.",
                "Within an hour the money was back in her account.",
                "Later the parcel turned out to be on the wrong shelf in the returns centre.",
                "The customer had returned the {product} because the size was wrong.",
                "I explained what had gone wrong, without making it sound better than it was.",
                "She said she had never had a refund so quickly.",
                "We changed the work instruction for returns with proof of postage.",
                "A refund is not a favour, it is her own money.",
            ],
        },
    },
    "apology": {
        "nl": {
            "titles": [
                "Oprechte excuses en een bos bloemen",
                "Excuses maken zonder script",
                "{name} verdiende meer dan een standaardmail",
                "Een fout toegeven en het goedmaken",
            ],
            "sentences": [
                "We hadden een fout gemaakt en dat moest ik gewoon eerlijk zeggen.",
                "Ik heb oprecht mijn excuses aangeboden, niet de zin uit het script.",
                "Als compensatie kreeg ze een tegoedbon van €{amount}.",
                "Een oprecht excuus plus een compensatie verdubbelt de tevredenheid, zo leerden we in de training.",
                "De klant was vooral boos omdat niemand had teruggebeld.",
                "Ik heb een kaartje geschreven en het samen met een bos bloemen laten bezorgen.",
                "{name} belde de volgende dag om te bedanken, helemaal verrast.",
                "Ik heb niets beloofd wat ik niet kon waarmaken.",
                "Het gesprek begon met een klacht en eindigde met een lach.",
                "Het ging niet om het bedrag, het ging om erkenning.",
                "Mijn teamleider steunde me meteen toen ik voorstelde om het zo op te lossen.",
                "Excuses aanbieden kost niets, maar je moet ze wel menen.",
            ],
        },
        "en": {
            "titles": [
                "A sincere apology and a bunch of flowers",
                "Apologising without a script",
                "{name} deserved more than a standard e-mail",
                "Admitting a mistake and making it right",
            ],
            "sentences": [
                "We had made a mistake and I simply had to say so honestly.",
                "I apologised sincerely, not with the sentence from the script.",
                "As compensation she received a voucher worth €{amount}.",
                "A sincere apology plus compensation doubles satisfaction, as we learned in training.",
                "The customer was mostly angry because nobody had called back.",
                "I wrote a card and had it delivered together with a bunch of flowers.",
                "{name} called the next day to say thank you, completely surprised.",
                "I did not promise anything I could not keep.",
                "The conversation started with a complaint and ended with a laugh.",
                "It was not about the amount, it was about being acknowledged.",
                "My team lead backed me straight away when I suggested solving it this way.",
                "Apologies cost nothing, but you have to mean them.",
            ],
        },
    },
    "damaged": {
        "nl": {
            "titles": [
                "Een kapotte {product} en een monteur op zaterdag",
                "{name} kreeg een beschadigd pakket",
                "Vervanging geregeld voordat de klant erom vroeg",
            ],
            "sentences": [
                "De {product} kwam beschadigd binnen, de doos was aan één kant helemaal ingedeukt.",
                "{name} stuurde foto's via {channel_word} en vroeg wat ze nu moest doen.",
                "Normaal vragen we de klant om het product eerst terug te sturen.",
                "Ik heb meteen een nieuwe {product} laten klaarzetten in het magazijn.",
                "De monteur kon op {day} langskomen om de oude mee te nemen.",
                "Ze hoefde niets in te pakken en niets naar het postkantoor te brengen.",
                "De schade was ontstaan tijdens het transport door {carrier}.",
                "Ik heb de schademelding zelf gedaan, zodat de klant daar geen werk aan had.",
                "Binnen twee dagen had ze een werkende {product} in huis.",
                "Een dag later kregen we een negen in de enquête, met een lieve toelichting.",
            ],
        },
        "en": {
            "titles": [
                "A broken {product} and a technician on Saturday",
                "{name} received a damaged parcel",
                "A replacement arranged before the customer asked",
            ],
            "sentences": [
                "The {product} arrived damaged, the box completely dented on one side.",
                "{name} sent photos via {channel_word} and asked what she should do now.",
                "Normally we ask the customer to return the product first.",
                "I immediately had a new {product} prepared in the warehouse.",
                "The technician could come by on {day} to take the old one away.",
                "She did not have to pack anything or take anything to the post office.",
                "The damage had happened in transport with {carrier}.",
                "I filed the damage claim myself, so the customer had no work with it.",
                "Within two days she had a working {product} at home.",
                "A day later we got a nine in the survey, with a kind comment.",
            ],
        },
    },
    "bereavement": {
        "nl": {
            "titles": [
                "Een abonnement opzeggen na een overlijden",
                "Geen formulier, maar een gesprek",
                "{name} hoefde het verhaal maar één keer te vertellen",
            ],
            "sentences": [
                "Mevrouw {name} belde om het abonnement van haar overleden man op te zeggen.",
                "Ons proces vraagt om een kopie van de overlijdensakte.",
                "Ik hoorde dat ze het verhaal al drie keer aan andere bedrijven had verteld.",
                "Ik heb gezegd dat ze niets hoefde op te sturen en dat ik alles zou regelen.",
                "We hebben twintig minuten gepraat over haar man en zijn liefde voor {city}.",
                "De laatste factuur van €{amount} heb ik laten vervallen.",
                "Een week later stuurde ze een kaart aan het hele team.",
                "Soms is het beste wat je kunt doen gewoon luisteren.",
                "Ik heb het dossier zo afgesloten dat niemand haar nog een herinnering stuurt.",
            ],
        },
        "en": {
            "titles": [
                "Cancelling a subscription after a death",
                "Not a form, but a conversation",
                "{name} only had to tell the story once",
            ],
            "sentences": [
                "Mrs {name} called to cancel the subscription of her late husband.",
                "Our process asks for a copy of the death certificate.",
                "I heard that she had already told the story three times to other companies.",
                "I said she did not need to send anything and that I would arrange it all.",
                "We talked for twenty minutes about her husband and his love for {city}.",
                "I cancelled the final invoice of €{amount}.",
                "A week later she sent a card to the whole team.",
                "Sometimes the best thing you can do is simply listen.",
                "I closed the file so that nobody will send her a reminder again.",
            ],
        },
    },
    "moving": {
        "nl": {
            "titles": [
                "Verhuizen naar {city} zonder gedoe",
                "Het adres was fout, de bezorging toch goed",
                "{name} verhuisde en de bestelling ging mee",
            ],
            "sentences": [
                "{name} was net verhuisd naar {city} en de bestelling ging nog naar het oude adres.",
                "Het adres wijzigen kan officieel niet meer als een pakket onderweg is.",
                "Ik heb {carrier} gebeld en gevraagd het pakket om te leiden.",
                "De chauffeur was zo vriendelijk om even om te rijden.",
                "De {product} stond dezelfde avond in het nieuwe huis.",
                "In de nieuwe woning was nog niets uitgepakt, maar dit cadeau wel.",
                "We hebben meteen het klantprofiel bijgewerkt, zodat dit niet nog eens gebeurt.",
                "Een kleine moeite voor ons, een groot verschil voor haar.",
            ],
        },
        "en": {
            "titles": [
                "Moving to {city} without hassle",
                "The address was wrong, the delivery right",
                "{name} moved house and the order moved with her",
            ],
            "sentences": [
                "{name} had just moved to {city} and the order was still going to the old address.",
                "Officially the address cannot be changed once a parcel is on its way.",
                "I called {carrier} and asked them to redirect the parcel.",
                "The driver was kind enough to make a small detour.",
                "The {product} was in the new house that same evening.",
                "Nothing had been unpacked yet in the new home, but this present was.",
                "We updated the customer profile straight away, so this does not happen again.",
                "A small effort for us, a big difference for her.",
            ],
        },
    },
    "invoice": {
        "nl": {
            "titles": [
                "Een factuur die drie keer werd verstuurd",
                "Incasso gestopt, klant gerustgesteld",
                "{name} kreeg een aanmaning die nooit had mogen komen",
            ],
            "sentences": [
                "{name} had een aanmaning gekregen voor een factuur die al betaald was.",
                "Het incassobureau was al ingeschakeld en ze was in paniek.",
                "Ik zag in het systeem dat de betaling op een verkeerd factuurnummer was geboekt.",
                "Ik heb de incasso direct laten stoppen en de boeking laten corrigeren.",
                "De extra kosten van €{amount} hebben we natuurlijk teruggestort.",
                "Ik heb haar een bevestiging per e-mail gestuurd, zodat ze het zwart op wit had.",
                "De collega's van finance hebben diezelfde middag het proces aangepast.",
                "First Contact Resolution zegt meer dan een snelle reactietijd.",
            ],
        },
        "en": {
            "titles": [
                "An invoice that was sent three times",
                "Debt collection stopped, customer reassured",
                "{name} got a reminder that should never have come",
            ],
            "sentences": [
                "{name} had received a reminder for an invoice that was already paid.",
                "The debt collection agency had already been called in and she was in a panic.",
                "I saw in the system that the payment had been booked to the wrong invoice number.",
                "I had the collection stopped immediately and the booking corrected.",
                "We refunded the extra charges of €{amount}, of course.",
                "I sent her a confirmation by e-mail, so she had it in black and white.",
                "The colleagues from finance changed the process that same afternoon.",
                "First Contact Resolution says more than a fast response time.",
            ],
        },
    },
    "wrong_item": {
        "nl": {
            "titles": [
                "De verkeerde {product} in de doos",
                "Omruilen op de dag zelf in {city}",
                "{name} kreeg iets anders dan besteld",
            ],
            "sentences": [
                "In de doos zat een andere {product} dan {name} had besteld.",
                "Het was voor de {occasion} van haar {relative}, over twee dagen.",
                "De winkel in {city} had de juiste nog op voorraad.",
                "Ik heb de winkel gebeld en gevraagd of ze hem apart wilden leggen.",
                "Ze kon hem dezelfde middag ophalen en de verkeerde daar inleveren.",
                "Mijn collega in de winkel had er zelfs een strik om gedaan.",
                "Zo werkten online en de winkel voor één klant samen.",
                "Samenwerking tussen teams maakt dit soort oplossingen mogelijk.",
            ],
        },
        "en": {
            "titles": [
                "The wrong {product} in the box",
                "Exchanged on the same day in {city}",
                "{name} got something other than she ordered",
            ],
            "sentences": [
                "The box held a different {product} from the one {name} had ordered.",
                "It was for the {occasion} of her {relative}, two days later.",
                "The shop in {city} still had the right one in stock.",
                "I called the shop and asked whether they could put it aside.",
                "She could collect it that same afternoon and hand in the wrong one there.",
                "My colleague in the shop had even tied a ribbon around it.",
                "That is how online and the shop worked together for one customer.",
                "Cooperation between teams makes this kind of solution possible.",
            ],
        },
    },
}

GENERAL = {
    "nl": [
        "Ik ben {agent} en werk nu {years} jaar bij het team.",
        "Het gesprek duurde langer dan de norm, maar dat was het waard.",
        "Mijn teamleider zei achteraf dat ik precies het goede had gedaan.",
        "Dit is waarom ik dit werk doe.",
        "Het proces zegt iets anders, maar de klant stond voorop.",
        "Ik heb het in het teamoverleg van {day} gedeeld, zodat we er samen van leren.",
        "De klant gaf ons een tien in de enquête.",
        "Achteraf denk ik: dit had iedere collega kunnen doen, als je maar de ruimte krijgt.",
        "We zijn geen chatbot, we zijn mensen die problemen oplossen.",
        "Ik nam de tijd om echt te luisteren naar wat er speelde.",
        "Het was druk die dag, de wachtrij stond op {queue} gesprekken.",
        "Toch heb ik even de tijd genomen om dit goed te doen.",
        "Een collega van team {team_word} hielp me met de juiste contactpersoon.",
        "In het dossier staat nu precies wat er is afgesproken.",
        "De klant bedankte ons later nog een keer via {channel_word}.",
        "Het mooiste compliment was dat hij zei dat hij zich gehoord voelde.",
        "Dit verhaal laat zien wat humanificatie in de praktijk betekent.",
        "De NPS van ons team ging die week omhoog, maar dat is niet waar het om gaat.",
        "Het ging om één klant en één verhaal.",
        "We hebben besloten dit voortaan standaard zo te doen.",
        "Ik heb de klant {clock_word} nog een berichtje gestuurd om te vragen of alles goed was.",
        "Mijn collega {agent2} nam mijn andere gesprekken even over.",
        "Bij de koffie hebben we er nog lang over gepraat.",
        "Soms moet je nee zeggen tegen het proces om ja te zeggen tegen de klant.",
        "De klant had eerst een slechte ervaring gehad met een ander kanaal.",
        "Ik heb haar mijn directe nummer gegeven voor als er nog iets was.",
        "Het kostte ons een paar euro extra, maar we wonnen een klant voor het leven.",
        "Ordernummer {order} staat nu als voorbeeld in onze training.",
        "De klant woonde in {city} en kende onze winkel daar goed.",
        "Ze vertelde dat ze al sinds {since} klant bij ons is.",
        "Ik was blij dat ik zelf mocht beslissen in plaats van eerst toestemming te vragen.",
        "Zulke gesprekken maken een dienst van acht uur meer dan de moeite waard.",
    ],
    "en": [
        "I am {agent} and I have worked in the team for {years} years.",
        "The call took longer than the norm, but it was worth it.",
        "My team lead said afterwards that I had done exactly the right thing.",
        "This is why I do this job.",
        "The process says something else, but the customer came first.",
        "I shared it in the team meeting on {day}, so that we could learn from it together.",
        "The customer gave us a ten in the survey.",
        "Looking back, any colleague could have done this, as long as you get the room.",
        "We are not a chatbot, we are people who solve problems.",
        "I took the time to really listen to what was going on.",
        "It was busy that day, with {queue} calls waiting in the queue.",
        "Still, I took a moment to do this properly.",
        "A colleague from the {team_word} team helped me find the right contact.",
        "The customer file now says exactly what was agreed.",
        "The customer thanked us once more later via {channel_word}.",
        "The nicest compliment was that he said he felt heard.",
        "This story shows what humanification means in practice.",
        "Our team's NPS went up that week, but that is not what it is about.",
        "It was about one customer and one story.",
        "We decided to do it this way as standard from now on.",
        "I sent the customer a message {clock_word} to ask whether everything was fine.",
        "My colleague {agent2} took over my other calls for a while.",
        "We talked about it for a long time over coffee.",
        "Sometimes you have to say no to the process to say yes to the customer.",
        "The customer had first had a bad experience through another channel.",
        "I gave her my direct number in case anything else came up.",
        "It cost us a few euros extra, but we won a customer for life.",
        "Order number {order} is now used as an example in our training.",
        "The customer lived in {city} and knew our shop there well.",
        "She told me she has been a customer since {since}.",
        "I was glad I could decide myself instead of asking for permission first.",
        "Conversations like this make an eight-hour shift more than worth it.",
    ],
}
CHANNEL_WORDS = {
    "nl": ["de chat", "WhatsApp", "e-mail", "Facebook", "Instagram", "de telefoon"],
    "en": ["the chat", "WhatsApp", "e-mail", "Facebook", "Instagram", "the phone"],
}
CLOCK_WORDS = {
    "nl": ["'s avonds", "de volgende ochtend", "na mijn dienst", "een week later"],
    "en": ["in the evening", "the next morning", "after my shift", "a week later"],
}
STEPS_INTRO = {"nl": "Wat ik deed:", "en": "What I did:"}
STEPS = {
    "nl": [
        "het depot gebeld",
        "de klant teruggebeld",
        "een collega ingeschakeld",
        "de terugbetaling gestart",
        "een notitie in het dossier gezet",
        "bloemen laten bezorgen",
        "de teamleider op de hoogte gebracht",
    ],
    "en": [
        "called the depot",
        "called the customer back",
        "asked a colleague for help",
        "started the refund",
        "added a note to the file",
        "had flowers delivered",
        "informed the team lead",
    ],
}
QUOTES = {
    "nl": [
        "Dit had ik nooit verwacht van een groot bedrijf.",
        "Jullie hebben haar dag gered.",
        "Eindelijk iemand die luistert.",
        "Ik ga dit aan iedereen vertellen.",
    ],
    "en": [
        "I never expected this from a big company.",
        "You saved her day.",
        "Finally someone who listens.",
        "I am going to tell everyone about this.",
    ],
}


@dataclass(frozen=True)
class CorpusStory:
    """One generated story, ready to insert (ids are resolved by the loader)."""

    title: str
    body: str
    language: str
    team: str
    channel: str
    themes: tuple[str, ...]
    author_kind: str
    author_index: int
    published_at: datetime


# The "common" profile: a customer-service archive where a few content words are in
# most stories (issue 24: "klant" in 70 % of them), the case where a search engine must
# rank, count and highlight most of the archive. Each word is added to a story of each
# language with the probability given, in one of its sentences; the resulting shares
# of all stories (60 % Dutch; measured by ``word_shares`` on 5,000) are in the comments.
# The standard profile has "klant" in 59 % of its stories already, "customer" in 40 %.
PROFILES = ("standard", "common")
COMMON_WORDS: dict[str, dict[str, tuple[float, list[str]]]] = {
    "klant": {  # with the standard profile's own: 73 %
        "nl": (
            0.95,
            [
                "De klant wilde vooral gehoord worden.",
                "Ik heb de klant daarna zelf teruggebeld.",
                "Voor de klant was dit al de derde keer.",
                "De klant bedankte ons uitgebreid aan het eind.",
                "Zo'n klant vergeet je niet snel.",
            ],
        ),
        "en": (
            0.35,
            [
                "I noted the agreement in the Klant dossier, as we always do.",
                "The Klant dossier showed two earlier calls about it.",
            ],
        ),
    },
    "customer": {  # with the standard profile's own: 59 %
        "nl": (
            0.3,
            [
                "In de customer journey was dit precies het pijnpunt.",
                "Het customer panel had dit eerder al genoemd.",
            ],
        ),
        "en": (
            0.95,
            [
                "The customer mainly wanted to be heard.",
                "I called the customer back myself afterwards.",
                "For the customer this was already the third time.",
                "The customer thanked us warmly at the end.",
            ],
        ),
    },
    "contact": {  # also in 30 % of the standard profile's stories: 72 %
        "nl": (
            0.6,
            [
                "Het contact verliep verder prettig.",
                "Na het eerste contact heb ik alles nagelopen.",
                "Ik heb het contact in het systeem vastgelegd.",
            ],
        ),
        "en": (
            0.6,
            [
                "The contact went smoothly from there.",
                "After the first contact I checked everything.",
                "I logged the contact in the system.",
            ],
        ),
    },
    "service": {  # 65 %
        "nl": (
            0.6,
            [
                "Dit is waar onze service om draait.",
                "Goede service begint met luisteren.",
            ],
        ),
        "en": (
            0.7,
            [
                "This is what our service is about.",
                "Good service starts with listening.",
            ],
        ),
    },
}


def _add_common_words(rng: random.Random, body: str, lang: str) -> str:
    """``body`` with the common words' sentences added to random paragraphs."""
    blocks = body.rstrip("\n").split("\n\n")
    for pools in COMMON_WORDS.values():
        share, sentences = pools[lang]
        if rng.random() < share:
            i = rng.randrange(len(blocks))
            if blocks[i].startswith(("- ", ">")) or "\n- " in blocks[i]:
                blocks.insert(i, rng.choice(sentences))
            else:
                blocks[i] = f"{blocks[i]} {rng.choice(sentences)}"
    return "\n\n".join(blocks) + "\n"


def word_shares(stories: list[CorpusStory]) -> dict[str, float]:
    """The share of ``stories`` whose title or body has each common word (as a word)."""
    import re

    patterns = {word: re.compile(rf"\b{word}\b", re.IGNORECASE) for word in COMMON_WORDS}
    return {
        word: sum(1 for s in stories if pattern.search(f"{s.title}\n{s.body}")) / len(stories)
        for word, pattern in patterns.items()
    }


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _fill(rng: random.Random, template: str, lang: str, slots: dict[str, str]) -> str:
    values = dict(slots)
    values.setdefault("clock", f"{rng.randint(8, 21)}:{rng.choice(['00', '15', '30', '45'])}")
    values.setdefault("day", rng.choice(DAYS[lang]))
    values.setdefault("queue", str(rng.randint(12, 80)))
    values.setdefault("years", str(rng.randint(1, 15)))
    values.setdefault("since", str(rng.randint(1995, 2023)))
    values.setdefault("channel_word", rng.choice(CHANNEL_WORDS[lang]))
    values.setdefault("clock_word", rng.choice(CLOCK_WORDS[lang]))
    values.setdefault("agent2", rng.choice(FIRST_NAMES))
    values.setdefault("team_word", rng.choice(TEAMS)[1])
    return template.format(**values)


def make_story(rng: random.Random, n_authors: int, profile: str = "standard") -> CorpusStory:
    lang = "nl" if rng.random() < NL_SHARE else "en"
    topic = rng.choice(list(TOPICS))
    pools = TOPICS[topic][lang]
    first = rng.choice(FIRST_NAMES)
    slots = {
        "name": f"{first} {rng.choice(LAST_NAMES)}" if rng.random() < 0.3 else first,
        "agent": rng.choice(FIRST_NAMES),
        "product": rng.choice(PRODUCTS[lang]),
        "relative": rng.choice(RELATIVES[lang]),
        "occasion": rng.choice(OCCASIONS[lang]),
        "city": rng.choice(CITIES),
        "carrier": rng.choice(CARRIERS[lang]),
        "amount": f"{rng.randint(5, 450)},{rng.choice(['00', '50', '95', '99'])}",
        "weeks": rng.choice(WEEKS[lang]),
        "order": f"BE-{rng.randint(100000, 999999)}",
    }
    title = _fill(rng, rng.choice(pools["titles"]), lang, slots)
    title = title[0].upper() + title[1:]
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    extras: list[str] = []
    if rng.random() < 0.25:
        steps = rng.sample(STEPS[lang], rng.randint(2, 4))
        extras.append(STEPS_INTRO[lang] + "\n\n" + "\n".join(f"- {s}" for s in steps))
    if rng.random() < 0.2:
        extras.append(f"> {rng.choice(QUOTES[lang])}")
    words = sum(len(block.split()) for block in extras)
    # The topic's sentences keep their narrative order (a few are skipped); general
    # remarks and a second topic's sentences are mixed in: real stories wander.
    topical = [s for s in pools["sentences"] if rng.random() < 0.85]
    general = rng.sample(GENERAL[lang], len(GENERAL[lang]))
    other = TOPICS[rng.choice([t for t in TOPICS if t != topic])][lang]["sentences"]
    extra = rng.sample(other, len(other))
    sentences: list[str] = []
    while words < target:
        if topical and rng.random() < 0.6:
            sentence = topical.pop(0)
        elif general or extra:
            sentence = (general or extra).pop()
        elif topical:
            sentence = topical.pop(0)
        else:
            break
        sentence = _fill(rng, sentence, lang, slots)
        if words + len(sentence.split()) > MAX_WORDS:
            break
        if rng.random() < 0.05:
            head, _, tail = sentence.partition(" ")
            sentence = f"**{head}** {tail}" if tail else sentence
        sentences.append(sentence)
        words += len(sentence.split())
    blocks: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.randint(3, 6)
        blocks.append(" ".join(sentences[i : i + size]))
        i += size
    for block in extras:
        blocks.insert(rng.randint(1, len(blocks)), block)
    n_themes = rng.choices([0, 1, 2, 3], weights=[15, 45, 30, 10])[0]
    themes: set[str] = set()
    while len(themes) < n_themes:
        themes.add(_weighted(rng, THEMES))
    seconds = rng.randint(0, SPAN_DAYS * 86400)
    body = "\n\n".join(blocks) + "\n"
    if profile == "common":  # drawn last: the standard profile's stories stay the same
        body = _add_common_words(rng, body, lang)
    return CorpusStory(
        title=title,
        body=body,
        language=lang,
        team=_weighted(rng, [(slug, w) for slug, _, w in TEAMS]),
        channel=_weighted(rng, CHANNELS),
        themes=tuple(sorted(themes)),
        author_kind="customer" if rng.random() < CUSTOMER_SHARE else "agent",
        author_index=rng.randrange(n_authors),
        published_at=END - timedelta(seconds=seconds),
    )


def chunk_stories(
    seed: int, chunk: int, count: int, n_authors: int, profile: str = "standard"
) -> list[CorpusStory]:
    """Stories ``chunk*CHUNK .. chunk*CHUNK+count-1``: the same for any worker layout."""
    rng = random.Random(f"{seed}:{chunk}")
    return [make_story(rng, n_authors, profile) for _ in range(count)]


def author_names(seed: int, n_authors: int) -> list[tuple[str, str]]:
    """(display name, team slug) per agent author."""
    rng = random.Random(f"{seed}:authors")
    return [
        (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            _weighted(rng, [(slug, w) for slug, _, w in TEAMS]),
        )
        for _ in range(n_authors)
    ]
