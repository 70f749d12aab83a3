"""Dutch scenarios beyond the parcel: payments, store stock, social media, business
customers, digital help and advice in the store."""

from __future__ import annotations

from storyboard.demo.frames import Scenario
from storyboard.demo.people import BUSINESS, ONLINE, RETAIL, SOCIAL
from storyboard.models import Channel

PHONE, CHAT, EMAIL = Channel.PHONE, Channel.CHAT, Channel.EMAIL
SOCIAL_MEDIA, STORE = Channel.SOCIAL, Channel.STORE

CONTACT_SCENARIOS_NL: tuple[Scenario, ...] = (
    Scenario(
        key="dubbel-betaald",
        routes=((ONLINE, PHONE), (ONLINE, CHAT), (SOCIAL, CHAT)),
        themes=("tools", "tone-of-voice"),
        product="parcel",
        titles=(
            "Twee keer afgeschreven, één keer gebeld",
            "{Amount} te veel, in één gesprek terug",
            "Dubbel betaald voor {a_product}",
        ),
        needs=(
            (
                "{Intro} {reached_us}, geschrokken: voor {a_product} was twee keer {amount} van "
                "{his} rekening afgeschreven. {He} had al gemaild en een automatisch antwoord "
                'gekregen: *"binnen tien werkdagen"*.'
            ),
            (
                "Aan het eind van de maand zag {short} het: de bestelling van {the_product} was "
                "dubbel betaald. {He} wilde weten of het geld terugkwam, en vooral wanneer."
            ),
        ),
        actions=(
            (
                "Ik wilde dit in één gesprek afmaken. In het betaaloverzicht zag ik dat de betaling "
                "was blijven hangen en daarna opnieuw gestart. Terwijl {short} aan de lijn bleef, "
                "boekte ik de tweede betaling terug en mailde ik de bevestiging."
            ),
            (
                "In plaats van een ticket aan te maken, belde ik {colleague} van de betaalafdeling. "
                "Binnen {minutes} minuten was de dubbele betaling teruggeboekt. Ik vertelde {short} "
                "dat het bedrag binnen twee werkdagen zichtbaar zou zijn, en beloofde niet meer "
                "dan dat."
            ),
        ),
        outcomes=(
            (
                "Het geld stond er twee dagen later. Geen tweede contact, geen ticket: {short} vond "
                'het *"verrassend makkelijk"*.'
            ),
            (
                "{Short} hoefde niet meer terug te bellen. Het automatische antwoord met tien "
                "werkdagen hebben we laten aanpassen."
            ),
        ),
    ),
    Scenario(
        key="winkelvoorraad",
        routes=((RETAIL, PHONE), (SOCIAL, CHAT), (ONLINE, PHONE)),
        themes=("team", "no-limits"),
        product="parcel",
        titles=(
            "Online uitverkocht, in {city} nog één",
            "De laatste {product} van {city}",
            "Van de winkel in {city} naar de voordeur",
        ),
        needs=(
            (
                "{Intro} {reached_us}: {the_product} was online uitverkocht, terwijl {he} het nodig "
                "had voor {occasion}. Zelf naar een winkel gaan lukte niet; {he} heeft geen auto."
            ),
            (
                "{The_product} die {short} had uitgekozen, stond online op *niet leverbaar*. {He} "
                "vroeg of er nog ergens iets lag, zonder veel hoop."
            ),
        ),
        actions=(
            (
                "Ik keek in de voorraad van de winkels: in {city} lag er nog één. {Colleague} legde "
                "hem apart en we spraken af dat de bezorgdienst hem op de terugweg zou meenemen. Ik "
                "belde {short} met een tijdvak."
            ),
            (
                "De winkel in {city} had er nog twee in het magazijn. Ik belde {colleague}, die er "
                "één op naam van {short} reserveerde. Omdat {he} niet kon komen, regelden we een "
                "koerier vanuit de winkel."
            ),
        ),
        outcomes=(
            (
                "{Short} had hem de volgende dag in huis. {He} wist niet dat we vanuit de winkel "
                "konden versturen. Wij eigenlijk ook niet, tot die dag."
            ),
            (
                "Het werkte. We bespreken nu met de winkels of dit een vaste route kan worden voor "
                "uitverkochte artikelen."
            ),
        ),
    ),
    Scenario(
        key="boze-post",
        routes=((SOCIAL, SOCIAL_MEDIA),),
        themes=("real-conversation", "tone-of-voice"),
        product="any",
        titles=(
            "Van boze post naar bedankje",
            "Een openbaar bericht, een persoonlijk antwoord",
            "Geen sjabloon onder een boze post over {the_product}",
        ),
        needs=(
            (
                "Een openbaar bericht van {intro}, met onze naam erin: {the_product} was al {days} "
                "dagen te laat en niemand reageerde. Binnen een uur stonden er tientallen reacties "
                "onder."
            ),
            (
                '{Intro} plaatste een foto van {the_product} met de tekst *"zo levert een grote '
                'winkel dus"*. De doos was duidelijk beschadigd en het bericht werd veel gedeeld.'
            ),
        ),
        actions=(
            (
                "Ik reageerde openbaar, in mijn eigen woorden: dat het te lang had geduurd, dat ik "
                "het zelf oppakte en of {he} me een DM wilde sturen. Daar zocht ik uit wat er mis "
                "was en regelde ik het direct, met {gift} compensatie."
            ),
            (
                "Geen standaardzin, maar mijn naam en een echte vraag. In de DM vroeg ik wat {he} "
                'nodig had. *"Gewoon dat het opgelost wordt."* Samen met {colleague} van de '
                "bezorgdienst regelde ik een vervangend exemplaar voor de volgende dag."
            ),
        ),
        outcomes=(
            (
                "De volgende dag plaatste {short} een nieuw bericht: opgelost, door een medewerker "
                "met een naam. Dat bericht werd vaker gedeeld dan het eerste."
            ),
            (
                '{Short} zette zelf een update onder het bericht: *"Opgelost, netjes gedaan."* '
                "Iedereen die meelas, zag het."
            ),
        ),
    ),
    Scenario(
        key="zakelijk",
        routes=((BUSINESS, PHONE), (BUSINESS, EMAIL)),
        themes=("team", "stand-up"),
        product="none",
        titles=(
            "{Count} {bulk} voor {org}",
            "Zakelijk, maar persoonlijk: {org}",
            "Eén aanspreekpunt voor {org}",
        ),
        needs=(
            (
                "De office manager van {org} {reached_us}: een bestelling van {count} {bulk} was "
                "maar half geleverd en de factuur klopte niet. {He} had er al {days} keer over "
                "gebeld en telkens een ander ticketnummer gekregen."
            ),
            (
                "{Org} had dringend {count} {bulk} nodig voor een nieuwe locatie die maandag "
                "openging. De standaard levertijd was zeven werkdagen. De inkoper vroeg of er "
                '*"iets mogelijk"* was.'
            ),
        ),
        actions=(
            (
                "Ik nam het hele dossier over en beloofde één aanspreekpunt te zijn: ik. Ik bundelde "
                "de oude tickets, belde {colleague} van debiteuren rechtstreeks en liet de "
                "creditnota opmaken terwijl de klant aan de lijn bleef."
            ),
            (
                "Ik vroeg het magazijn wat er op voorraad lag en de winkels wat zij konden missen. "
                "Zo kregen we het bij elkaar:\n\n- {count} {bulk} uit het magazijn en twee "
                "winkels;\n- levering op vrijdag met een eigen bus;\n- {colleague} hielp met "
                "uitpakken en aansluiten."
            ),
        ),
        outcomes=(
            (
                "De klant vroeg of {he} voortaan rechtstreeks bij mij terecht kon. Dat kan: we "
                "hebben nu vaste contactpersonen voor zakelijke klanten."
            ),
            (
                "Maandagochtend stond alles klaar. De inkoper stuurde een foto van de nieuwe "
                'locatie, met een bedankje aan *"het hele team"*.'
            ),
        ),
    ),
    Scenario(
        key="digitale-hulp",
        routes=((ONLINE, PHONE), (SOCIAL, CHAT), (RETAIL, STORE)),
        themes=("time-place", "real-conversation"),
        product="parcel",
        titles=(
            "Samen de bestelling afgerond",
            "Geen haast: {minutes} minuten voor {a_product}",
            "Stap voor stap door de webshop",
        ),
        needs=(
            (
                "{Intro} {reached_us}: {he} probeerde al dagen {a_product} te bestellen, maar kwam "
                "niet verder dan het betaalscherm. {He} had weinig ervaring met internet en vond dat "
                'alles *"zo snel"* ging.'
            ),
            (
                "Het was de derde keer dat {short} contact zocht over hetzelfde: inloggen lukte "
                "niet, het wachtwoord herstellen ook niet. {He} wilde {the_product} graag in huis "
                "hebben voor {occasion}."
            ),
        ),
        actions=(
            (
                "Ik nam de tijd. Stap voor stap liepen we samen door de webshop, en waar het "
                "vastliep, nam ik het over: ik zette de bestelling klaar en stuurde een betaallink "
                "per sms. Alles legde ik uit zonder vaktermen."
            ),
            (
                "Ik vroeg {short} rustig achter de computer te gaan zitten en las elke knop voor "
                "die {he} zag. Na {minutes} minuten stond de bestelling erin. Daarna bedachten we "
                "samen een nieuw wachtwoord dat {he} kon onthouden."
            ),
        ),
        outcomes=(
            (
                "{The_product} werd twee dagen later bezorgd. {Short} belde nog om te zeggen dat "
                'het gelukt was, *"helemaal zelf, met een beetje hulp"*.'
            ),
            (
                "Het gesprek duurde lang, maar er kwam geen tweede. Een week later bestelde "
                "{short} zonder hulp iets nieuws."
            ),
        ),
    ),
    Scenario(
        key="winkeladvies",
        routes=((RETAIL, STORE),),
        themes=("real-conversation", "storytelling"),
        product="any",
        titles=(
            "Geen verkooppraatje, maar de juiste {product}",
            "Advies aan de balie in {city}",
            "De goedkoopste {product} was de beste keuze",
        ),
        needs=(
            (
                "{Intro} {reached_us} en vroeg naar de duurste {product} die we hadden. Toen ik "
                "vroeg waarvoor, bleek het om iets heel eenvoudigs te gaan: {he} zocht iets voor "
                "{occasion}."
            ),
            (
                "{Intro} liep al twintig minuten door de winkel en stond uiteindelijk wat verloren "
                "bij de balie. {He} had online drie reviews gelezen die elkaar tegenspraken en wist "
                "niet meer welke {product} {he} moest kiezen."
            ),
        ),
        actions=(
            (
                "Geen verkooppraatje, maar vragen: hoe vaak, voor wie, hoeveel ruimte. Daarna liet "
                "ik twee modellen zien, waaronder een goedkoper exemplaar dat beter bij {him} "
                "paste. Ik zei eerlijk dat de duurdere vooral functies had die {he} niet zou "
                "gebruiken."
            ),
            (
                "We liepen samen langs de schappen. Ik legde de verschillen uit in gewone woorden "
                "en haalde {colleague} erbij, die er zelf een thuis heeft. Na {minutes} minuten wist "
                "{short} precies wat {he} wilde, en waarom."
            ),
        ),
        outcomes=(
            (
                "{Short} kocht het goedkopere model en kwam een week later terug om te vertellen "
                "dat het precies goed was. Dit keer kocht {he} er een cadeau bij, voor een "
                "vriendin."
            ),
            (
                "{Short} ging tevreden naar huis. Een paar dagen later kwam er een mail binnen bij "
                'de winkel: *"Eindelijk iemand die me niet iets probeerde aan te smeren."*'
            ),
        ),
    ),
)
