"""Dutch scenarios: the everyday service moments the generated stories are built from.

This module holds the order-related ones (late, damaged, wrong, refunds, returns,
repairs, second line); ``scenarios_nl_contact`` the rest."""

from __future__ import annotations

from storyboard.demo.frames import Scenario
from storyboard.demo.people import DELIVERY, ONLINE, RETAIL, SOCIAL
from storyboard.demo.scenarios_nl_contact import CONTACT_SCENARIOS_NL
from storyboard.models import Channel

PHONE, CHAT, EMAIL = Channel.PHONE, Channel.CHAT, Channel.EMAIL
SOCIAL_MEDIA, STORE = Channel.SOCIAL, Channel.STORE

ORDER_SCENARIOS_NL: tuple[Scenario, ...] = (
    Scenario(
        key="te-laat",
        routes=((ONLINE, PHONE), (ONLINE, CHAT), (DELIVERY, PHONE), (SOCIAL, CHAT)),
        themes=("real-conversation", "no-limits"),
        product="any",
        titles=(
            "{The_product} op tijd voor {occasion}",
            "Een {product} voor {occasion}",
            "Niet over {days} dagen, maar vandaag",
        ),
        needs=(
            (
                "{Intro} {reached_us} met een korte vraag: waar blijft {the_product}? Volgens de "
                "track-and-trace zou {he} het over {days} dagen krijgen. Toen ik vroeg of dat een "
                "probleem was, bleef het even stil. {The_product} was nodig voor {occasion}."
            ),
            (
                "De vraag van {intro} leek standaard: een bezorgmoment voor {a_product}. Maar "
                "tussen de regels door hoorde ik haast. Ik vroeg ernaar, en {he} legde uit dat "
                "alles draaide om {occasion}."
            ),
            (
                "{Intro} {reached_us}, een beetje gespannen. De bestelling, {a_product}, stond al "
                "{days} dagen op *onderweg*. Pas later kwam de echte reden van de haast: {occasion}."
            ),
        ),
        actions=(
            (
                "Het makkelijke antwoord was de datum uit het systeem voorlezen. In plaats daarvan "
                "zocht ik uit waar {the_product} precies was: nog in het magazijn in Tilburg. Ik "
                "belde de ploegleider, die het uit de sortering haalde, en {colleague} regelde een "
                "koerier voor dezelfde dag."
            ),
            (
                "Ik beloofde niets wat ik niet kon waarmaken, maar wel dat ik binnen een uur zou "
                "terugbellen. In dat uur:\n\n- belde ik het magazijn om de order naar voren te "
                "halen;\n- vroeg ik {colleague} om een plek in een extra bezorgrit;\n- zette ik een "
                "notitie op de order, zodat niemand hem terugzette.\n\nNa {minutes} minuten belde "
                "ik terug met een tijdvak."
            ),
            (
                "Ik keek of {the_product} in een winkel in de buurt op voorraad was. Dat was zo, in "
                "{city}. {Colleague} legde het apart en de winkel gaf het dezelfde middag mee aan de "
                "bezorgdienst. De online bestelling heb ik kosteloos geannuleerd."
            ),
        ),
        outcomes=(
            (
                "{The_product} werd dezelfde dag bezorgd, ruim op tijd voor {occasion}. {Short} "
                "belde nog even om te bedanken."
            ),
            (
                "Het lukte net: om kwart voor zes stond de bezorger voor de deur. De volgende dag "
                "kregen we een foto van {the_product} op de plek van bestemming."
            ),
        ),
    ),
    Scenario(
        key="beschadigd",
        routes=((ONLINE, EMAIL), (ONLINE, PHONE), (DELIVERY, PHONE), (SOCIAL, SOCIAL_MEDIA)),
        themes=("tone-of-voice", "real-conversation"),
        product="any",
        titles=(
            "{The_product} kwam in stukken aan",
            "Een echt sorry voor een deuk in {the_product}",
            "Beschadigd in {city}, hersteld in één dag",
        ),
        needs=(
            (
                "{Intro} {reached_us} met foto's: {the_product} was beschadigd aangekomen. Het was "
                'al de tweede keer dat er iets misging met deze bestelling. *"Ik wil geen '
                'formulier, ik wil dat iemand toegeeft dat dit niet klopt."*'
            ),
            (
                "Toen {short} de doos openmaakte, zat er een flinke deuk in {the_product}. {He} had "
                "er {days} dagen op gewacht en moest nu opnieuw beginnen. {His} toon was scherp, en "
                "eerlijk gezegd terecht."
            ),
        ),
        actions=(
            (
                "Ik begon niet met het retourproces, maar met een oprecht sorry:\n\n> U heeft "
                "gelijk. Dit hoort niet te gebeuren, en het ligt aan ons, niet aan pech.\n\nDaarna "
                "regelde ik een nieuw exemplaar, met een bezorgmoment dat {he} zelf koos, en een "
                "tegoedbon van {gift}. Het beschadigde exemplaar nam de bezorger mee."
            ),
            (
                "Ik vroeg eerst wat {he} het liefst wilde: een nieuw exemplaar of het geld terug. "
                "Nieuw, zo snel mogelijk. {Colleague} in het magazijn pakte het zelf in en maakte "
                "een foto van de doos voordat die vertrok. Als compensatie kreeg {short} {gift} "
                "terug, zonder erom te hoeven vragen."
            ),
        ),
        outcomes=(
            (
                "Het nieuwe exemplaar kwam heel aan. {Short} schreef dat vooral het eerlijke excuus "
                "het verschil maakte."
            ),
            (
                'Binnen een kwartier kwam er een reactie: *"Dank u dat u er niet omheen draait."* '
                "De foto's gingen naar de inpakafdeling, die de verpakking heeft aangepast."
            ),
        ),
    ),
    Scenario(
        key="verkeerd-artikel",
        routes=((ONLINE, CHAT), (ONLINE, PHONE), (DELIVERY, PHONE), (SOCIAL, CHAT)),
        themes=("team", "real-conversation"),
        product="parcel",
        titles=(
            "Verkeerde doos, goede afloop",
            "Omruilen op dezelfde dag in {city}",
            "{The_product} die iemand anders had besteld",
        ),
        needs=(
            (
                "{Intro} {reached_us}: in de doos zat niet {the_product} die {he} had besteld, maar "
                "iets heel anders. {He} had het nodig voor {occasion} en zag een retourprocedure van "
                "twee weken niet zitten."
            ),
            (
                "Het pakket van {short} was keurig op tijd, alleen zat er het verkeerde artikel in. "
                'Volgens {his} bericht was het al de tweede keer dit jaar. *"Hoe moeilijk kan het '
                'zijn?"*'
            ),
        ),
        actions=(
            (
                "In plaats van een retourlabel te sturen, keek ik of we het in één rit konden "
                "omruilen. {Colleague} van de bezorgdienst nam het goede exemplaar mee en haalde het "
                "verkeerde direct op. Ik belde {short} om het tijdvak af te stemmen, zodat {he} niet "
                "voor niets thuis bleef."
            ),
            (
                "Ik heb de fout zelf bij het magazijn nagezocht: twee artikelnummers lagen in "
                "hetzelfde vak. Daarna:\n\n1. het goede exemplaar met spoed verstuurd;\n2. een "
                "retourlabel gemaild voor het verkeerde, zonder haast;\n3. het magazijn gevraagd de "
                "twee artikelen uit elkaar te leggen."
            ),
        ),
        outcomes=(
            (
                "De volgende ochtend had {short} het goede artikel. {He} was vooral blij dat {he} "
                "het niet allemaal zelf hoefde uit te zoeken."
            ),
            (
                "Het omruilen duurde één dag in plaats van twee weken. Het magazijn heeft de "
                "vakindeling aangepast, zodat deze fout niet meer kan."
            ),
        ),
    ),
    Scenario(
        key="terugbetaling",
        routes=((ONLINE, EMAIL), (ONLINE, PHONE), (SOCIAL, SOCIAL_MEDIA)),
        themes=("stand-up", "tools"),
        product="parcel",
        titles=(
            "Drie weken wachten op {amount}",
            "Een terugbetaling die tussen twee systemen bleef hangen",
            "Geld terug voor {the_product}, en nu echt",
        ),
        needs=(
            (
                "{Intro} {reached_us} voor de derde keer. {He} had {the_product} {days} weken "
                "geleden teruggestuurd, maar de {amount} stond nog steeds niet op {his} rekening. "
                'Elke keer kreeg {he} te horen dat het *"in behandeling"* was.'
            ),
            (
                "De retour van {short} was volgens ons systeem ontvangen, maar er was nooit geld "
                "teruggestort. {Amount} is voor veel mensen veel geld, en {short} vertelde dat {he} "
                "er deze maand echt op rekende."
            ),
        ),
        actions=(
            (
                'Ik wilde niet voor de vierde keer *"in behandeling"* zeggen. Ik zocht het zelf '
                "uit: de retour was op de verkeerde orderregel geboekt, waardoor de terugbetaling "
                "nooit was gestart. Ik corrigeerde de regel en vroeg {colleague} van financiën de "
                "betaling dezelfde dag vrij te geven."
            ),
            (
                "Ik nam het dossier van begin tot eind door en vond de fout: de betaalprovider "
                "wachtte op een bevestiging die ons magazijn nooit had gestuurd. Ik heb:\n\n- de "
                "bevestiging handmatig laten versturen;\n- de terugbetaling met spoed laten "
                "uitvoeren;\n- {short} gemaild op welke dag het geld er zou zijn."
            ),
        ),
        outcomes=(
            (
                "Twee dagen later stond het bedrag op {his} rekening, precies zoals beloofd. "
                "{Short} mailde nog een kort bedankje."
            ),
            (
                "Het geld kwam de volgende ochtend binnen. Bij het nazoeken vonden we elf andere "
                "retouren met hetzelfde probleem; die zijn nu ook uitbetaald."
            ),
        ),
    ),
    Scenario(
        key="buiten-termijn",
        routes=((ONLINE, PHONE), (RETAIL, STORE), (ONLINE, EMAIL)),
        themes=("stand-up", "real-conversation"),
        product="any",
        titles=(
            "Buiten de termijn, binnen de redelijkheid",
            "Toch retour, na {days} weken",
            "Soms zeg je: ik doe het anders",
        ),
        needs=(
            (
                "{Intro} {reached_us} over {a_product} die {he} ruim buiten de retourtermijn wilde "
                "terugbrengen. Het product was ongebruikt. {His} situatie was plotseling veranderd, "
                "en {he} had er simpelweg niet eerder aan kunnen denken."
            ),
            (
                "Volgens het systeem was het duidelijk: de retourtermijn van 30 dagen was {days} "
                "weken verstreken. Maar {short} vertelde waarom het zo laat was: {he} had de "
                "afgelopen weken voor een zieke ouder gezorgd."
            ),
        ),
        actions=(
            (
                "Het sjabloon zei nee. Ik zei:\n\n> Ik ga het anders doen. U hoeft niets op te "
                "sturen, we halen het bij u op.\n\nIk meldde de uitzondering met een korte notitie "
                "bij mijn teamleider en plande de ophaalopdracht zelf in."
            ),
            (
                "Ik liet het product controleren: nog in de originele verpakking. Daarmee kon het "
                "gewoon terug in de verkoop. Ik accepteerde de retour en vroeg {colleague} mee te "
                "kijken of de terugbetaling nog dezelfde week kon."
            ),
        ),
        outcomes=(
            (
                '{Short} was er even stil van. *"Ik had echt een nee verwacht."* Het geld stond '
                "binnen een week terug."
            ),
            (
                "Het product ging ongeschonden terug in de verkoop. Het kostte ons vrijwel niets, "
                "en {short} schreef een lange, warme review."
            ),
        ),
    ),
    Scenario(
        key="reparatie",
        routes=((ONLINE, PHONE), (ONLINE, EMAIL), (RETAIL, STORE), (SOCIAL, CHAT)),
        themes=("no-limits", "real-conversation"),
        product="any",
        titles=(
            "Een leenexemplaar voor de reparatietijd",
            "{The_product} ging stuk, het leven ging door",
            "Reparatie zonder een week zonder {product}",
        ),
        needs=(
            (
                "{The_product} van {intro} was na {days} maanden kapot. Het viel onder de garantie, "
                "maar de reparatie zou twee tot drie weken duren. Voor {short} was dat een "
                "probleem: {he} gebruikte {the_product} elke dag."
            ),
            (
                "{Intro} {reached_us}: {the_product} deed het niet meer. {He} had alles al "
                'geprobeerd wat op internet stond. *"Ik wil gewoon dat het werkt."*'
            ),
        ),
        actions=(
            (
                "Ik zocht niet alleen de snelste reparatie, maar ook een oplossing voor de "
                "tussentijd. In onze winkel in {city} stond een demo-exemplaar dat {colleague} "
                "wilde uitlenen. We lieten het bij {short} bezorgen en namen het kapotte exemplaar "
                "meteen mee."
            ),
            (
                "Eerst liep ik samen met {short} een paar stappen door die niet in de "
                "standaardhandleiding staan. Het bleek toch een defect. Ik heb:\n\n- de reparatie "
                "met voorrang aangemeld;\n- een ophaalmoment geregeld dat {him} paste;\n- "
                "toegezegd dat ik zelf zou bellen zodra het klaar was."
            ),
        ),
        outcomes=(
            (
                "De reparatie duurde twaalf dagen, maar {short} had er geen last van. Toen ik belde "
                "dat het klaar was, vroeg {he} of ik ook bij de volgende aankoop wilde helpen."
            ),
            (
                "Na negen dagen was {the_product} gerepareerd terug. Ik belde zoals beloofd; "
                "{short} was verrast dat ik dat echt deed."
            ),
        ),
    ),
    Scenario(
        key="tweede-lijn",
        routes=((DELIVERY, PHONE), (ONLINE, PHONE), (ONLINE, EMAIL)),
        themes=("training", "tools"),
        product="appliance",
        titles=(
            "Foutcode E{code} en de echte oorzaak",
            "Het probleem achter de klacht over {the_product}",
            "Tweedelijnswerk: {the_product} in {city}",
        ),
        needs=(
            (
                "{Intro} {reached_us} voor de tweede keer: {the_product} gaf sinds de installatie "
                "steeds foutcode E{code}. De eerste keer had {he} het standaardadvies gekregen, uit "
                "en weer aan. Dat hielp precies één dag."
            ),
            (
                "Bij {short} was {the_product} {days} dagen eerder geïnstalleerd door onze "
                'bezorgdienst. Sindsdien maakte het apparaat een lawaai *"alsof er een trein door '
                'de keuken rijdt"*. {He} wilde het gewoon terugsturen.'
            ),
        ),
        actions=(
            (
                "Dit was geen vraag meer maar een **probleem**, dus ik ging zoeken. In ons systeem "
                "vond ik {count} vergelijkbare meldingen bij hetzelfde model, allemaal kort na de "
                "installatie. Met {colleague} van de installatieploeg ontdekten we dat de "
                "transportbeveiliging bij dit model op een andere plek zit. Via een videobelletje "
                "liet ik {short} zien waar."
            ),
            (
                "Ik belde {colleague} van de installatieploeg en liep met {short} aan de lijn het "
                "apparaat door. Na tien minuten vonden we het: een instelling die bij de "
                "installatie niet was aangepast aan {his} woning."
            ),
        ),
        outcomes=(
            (
                "Het probleem was binnen een kwartier opgelost. Ik heb het kennisartikel aangepast "
                "en de andere klanten met dezelfde melding zelf gebeld."
            ),
            (
                "Sindsdien werkt {the_product} zonder problemen. De installatieploeg heeft de "
                "werkinstructie aangepast, zodat het bij volgende klanten meteen goed gaat."
            ),
        ),
    ),
)

SCENARIOS_NL: tuple[Scenario, ...] = ORDER_SCENARIOS_NL + CONTACT_SCENARIOS_NL
