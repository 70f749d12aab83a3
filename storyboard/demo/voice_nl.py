"""Dutch words for the generator: headings, customers, products, reactions, lessons."""

from __future__ import annotations

from storyboard.demo.frames import Customer, Product, Voice
from storyboard.models import Channel, Language

VOICE_NL = Voice(
    language=Language.NL,
    headings=("Wat de klant nodig had", "Wat ik deed", "Wat er daarna gebeurde", "Wat we leerden"),
    lead_ins=("De vraag.", "Wat ik deed.", "Hoe het afliep.", "De les."),
    lesson_label="Wat we leerden:",
    pronouns={
        False: {"he": "hij", "him": "hem", "his": "zijn"},
        True: {"he": "ze", "him": "haar", "his": "haar"},
    },
    reached_us={
        Channel.PHONE: "belde ons",
        Channel.CHAT: "startte een chat met ons",
        Channel.EMAIL: "mailde ons",
        Channel.SOCIAL: "stuurde ons een bericht via Instagram",
        Channel.STORE: "kwam naar de servicebalie in de winkel",
    },
    customers=(
        Customer("mevrouw De Wit uit {city}", "mevrouw De Wit", True),
        Customer("meneer Jansen uit {city}", "meneer Jansen", False),
        Customer("een jonge vader uit {city}", "de vader", False),
        Customer("een oudere dame uit {city}", "mevrouw", True),
        Customer("mevrouw Yıldız uit {city}", "mevrouw Yıldız", True),
        Customer("meneer Van Dam uit {city}", "meneer Van Dam", False),
        Customer("een moeder van drie uit {city}", "de moeder", True),
        Customer("mevrouw Kuipers uit {city}", "mevrouw Kuipers", True),
        Customer("meneer Achterberg uit {city}", "meneer Achterberg", False),
        Customer("een gepensioneerde leraar uit {city}", "meneer", False),
        Customer("meneer Osei uit {city}", "meneer Osei", False),
        Customer("mevrouw Brouwer uit {city}", "mevrouw Brouwer", True),
        Customer("een verpleegkundige uit {city}", "de verpleegkundige", True),
        Customer("mevrouw El Idrissi uit {city}", "mevrouw El Idrissi", True),
        Customer("meneer Hoekstra uit {city}", "meneer Hoekstra", False),
        Customer("een student uit {city}", "de student", False),
    ),
    # Only de-words, so "die" after a product is always right.
    products=(
        Product("wasmachine", "appliance"),
        Product("koelkast", "appliance"),
        Product("vaatwasser", "appliance"),
        Product("droger", "appliance"),
        Product("kookplaat", "appliance"),
        Product("combimagnetron", "appliance"),
        Product("hoekbank", "furniture"),
        Product("boxspring", "furniture"),
        Product("kledingkast", "furniture"),
        Product("tuinset", "furniture"),
        Product("koffiemachine", "parcel"),
        Product("laptop", "parcel"),
        Product("stofzuiger", "parcel"),
        Product("babyfoon", "parcel"),
        Product("airfryer", "parcel"),
        Product("tablet", "parcel"),
        Product("spelcomputer", "parcel"),
        Product("koptelefoon", "parcel"),
        Product("smartwatch", "parcel"),
        Product("keukenmachine", "parcel"),
        Product("printer", "parcel"),
        Product("e-reader", "parcel"),
    ),
    cities=(
        "Amsterdam",
        "Rotterdam",
        "Utrecht",
        "Den Haag",
        "Eindhoven",
        "Groningen",
        "Tilburg",
        "Almere",
        "Breda",
        "Nijmegen",
        "Zwolle",
        "Leeuwarden",
        "Maastricht",
        "Haarlem",
        "Amersfoort",
        "Apeldoorn",
        "Enschede",
        "Arnhem",
        "Den Bosch",
        "Delft",
        "Alkmaar",
        "Deventer",
        "Hoorn",
        "Gouda",
    ),
    occasions=(
        "een verjaardag op zaterdag",
        "de verhuizing van vrijdag",
        "de komst van de baby",
        "een logeerweekend met de kleinkinderen",
        "een jubileumfeest",
        "de eerste schooldag",
        "pakjesavond",
        "een bruiloft in het weekend",
        "kerst bij de familie",
        "de opening van een eigen praktijk",
    ),
    bulk=(
        "laptops",
        "bureaustoelen",
        "monitoren",
        "tablets",
        "koffiemachines",
        "headsets",
        "koelkasten",
    ),
    organisations=(
        "basisschool De Regenboog",
        "huisartsenpraktijk Het Anker",
        "zorggroep De Linde",
        "kinderopvang Het Speelhuis",
        "fysiotherapie Beweeg",
        "woonzorgcentrum De Hoven",
        "architectenbureau Lijn & Licht",
        "de bibliotheek van de gemeente",
    ),
    openers=(
        "Het was maandagochtend en de wachtrij stond op {count}.",
        "Een drukke dag, vlak voor een feestdag.",
        "Vrijdagmiddag, tien voor vijf. Mijn laatste contact van de week, dacht ik.",
        "Het begon als een gesprek zoals we er elke dag honderden voeren.",
        "Eerlijk gezegd dacht ik eerst dat het een routinevraag was.",
        "Ik zat pas een week in het team toen dit gebeurde.",
        "Het was rustig, en dat gebeurt zelden.",
        "Dit verhaal deel ik omdat het me is bijgebleven.",
        "Uitgerekend op de dag van de systeemstoring.",
        "Een gewone dinsdag, tot dit contact.",
    ),
    asides=(
        "Het kostte me {minutes} minuten extra. Die waren het waard.",
        "Mijn gesprekstijd ging die dag flink omhoog, en mijn teamleider vond dat prima.",
        "Ik had het in een minuut kunnen afronden. Dat deed ik bewust niet.",
        "Tussendoor hield ik {short} op de hoogte, ook als er nog geen nieuws was.",
        (
            "Ik zette een notitie in het klantdossier, zodat een collega het niet opnieuw hoeft "
            "uit te zoeken."
        ),
        "Achteraf gezien was dit precies waar het om draaide.",
        "Het voelde even spannend om van het script af te wijken.",
        '{Colleague} zei later: *"Goed dat je even belde in plaats van een ticket te maken."*',
    ),
    reactions=(
        "Ik had een standaardantwoord verwacht, en ik kreeg een mens.",
        "Dat jullie terugbelden toen het geregeld was, maakte het verschil.",
        "Eindelijk iemand die het gewoon afmaakt.",
        "U heeft mijn week gered.",
        "Ik voelde me eindelijk gehoord.",
        "Dit had ik van een grote winkel niet verwacht.",
        "Bedankt dat u niet alleen naar het ordernummer keek.",
        "Zo hoort klantenservice te zijn.",
        "Eerlijk gezegd wilde ik nooit meer bij jullie bestellen. Nu wel weer.",
        "Fijn dat ik niet drie keer mijn verhaal hoefde te doen.",
        "Mijn moeder vroeg wie dat aardige mens aan de telefoon was.",
        "Dit ga ik doorvertellen, en deze keer in positieve zin.",
        "Jullie hadden makkelijk nee kunnen zeggen.",
        "Wat fijn dat er iemand met me meedacht.",
    ),
    scores=(
        "In de enquête gaf {he} een **{score}**.",
        "De NPS-enquête kwam terug met een **{score}**.",
        "{He} gaf ons later een **{score}**, met een lange toelichting.",
        "De score in de enquête: een **{score}**.",
    ),
    lessons={
        "real-conversation": (
            (
                "Wie doorvraagt, hoort waarom iets belangrijk is. Pas dan weet je wat een goed "
                "antwoord is."
            ),
            "Het ordernummer vertelt wát er mis is; de klant vertelt wat het betekent.",
        ),
        "stand-up": (
            (
                "Het proces is er voor de gewone gevallen. Dit was geen gewoon geval, en dan mag "
                "je het **anders doen**."
            ),
            (
                "Afwijken van het proces leverde meer op dan het kostte. We hebben het besproken, "
                "zodat de regel zelf beter wordt."
            ),
        ),
        "storytelling": (
            (
                "Eén kleine extra stap maakt van een gewone afhandeling een verhaal dat de klant "
                "doorvertelt."
            ),
            "Klanten onthouden niet hoe snel we waren, maar hoe we ze behandelden.",
        ),
        "no-limits": (
            (
                "De meeste grenzen legden we onszelf op. Met twee telefoontjes bleek veel meer "
                "mogelijk."
            ),
            "*Dat kan niet* bleek vooral te betekenen: dat hebben we nog nooit geprobeerd.",
        ),
        "team": (
            (
                "Zonder collega's van andere afdelingen was dit niet gelukt. Even bellen werkt "
                "beter dan een ticket."
            ),
            "Samen met het magazijn en de winkels lossen we meer op dan elk team apart.",
        ),
        "training": (
            "Dit voorbeeld gebruiken we nu in de inwerktraining van nieuwe collega's.",
            (
                "Wat ik hier leerde, staat nu in een kort kennisartikel, zodat iedereen het kan "
                "toepassen."
            ),
        ),
        "tools": (
            (
                "Ons systeem liet dit niet zien; we hebben gevraagd om een extra veld in het "
                "klantbeeld."
            ),
            "Het kennisartikel klopte niet meer. Het is aangepast, met dit geval als voorbeeld.",
        ),
        "time-place": (
            "Tijd nemen is soms het snelst: één goed gesprek scheelt drie vervolgcontacten.",
            "Dit gesprek kon alleen zo lang duren omdat niemand op gesprekstijd stuurde.",
        ),
        "tone-of-voice": (
            "Een oprecht *sorry* in gewone woorden doet meer dan een keurig sjabloon.",
            (
                "Beloof niets wat je niet kunt waarmaken: een terugbelafspraak kun je altijd "
                "nakomen."
            ),
        ),
        "team-support": (
            (
                "Na een zwaar gesprek even ruimte krijgen van je teamleider maakt dat je het "
                "volgende gesprek weer goed voert."
            ),
            "Het hielp enorm dat een collega meeluisterde en meedacht.",
        ),
    },
    decimal_comma=True,
)
