"""Handgeschreven Nederlandse verhalen van agents (Dutch agent stories, written out).

Each shows an idea from the design brief in the organisation's own language: standing
up against the process, first contact resolution, second-line problem solving, taking
time, and learning from a template that went wrong.
"""

from __future__ import annotations

from textwrap import dedent

from storyboard.demo.people import BUSINESS, DELIVERY, ONLINE, RETAIL, SOCIAL, email_of
from storyboard.demo.spec import StorySpec, ago
from storyboard.models import Channel, Language


def _md(text: str) -> str:
    return dedent(text).strip()


STAND_UP = StorySpec(
    title="Nee, ik doe het anders",
    language=Language.NL,
    channel=Channel.PHONE,
    team=ONLINE,
    author=email_of("Mateusz Kowalski"),
    themes=("stand-up", "real-conversation"),
    age=ago(12, "13:00"),
    body=_md("""
        ## Wat de klant nodig had

        Mevrouw Jacobs belde over een elektrische fiets. Haar man had hem in het voorjaar
        gekocht, hij was er nooit op gefietst: twee weken later overleed hij. De fiets
        stond nog in het plastic in de schuur. Ze vroeg, bijna verontschuldigend, of ze
        hem *misschien* nog terug mocht sturen.

        ## Wat ik deed

        Volgens het proces was het simpel: de retourtermijn van 30 dagen was ruim
        voorbij, dus nee. Het sjabloon stond al klaar. Ik heb gezegd:

        > Nee, ik doe het anders. U hoeft niets op te sturen, wij halen hem bij u op.

        Ik heb de ophaalopdracht zelf ingepland, de terugbetaling met een notitie bij
        mijn teamleider neergelegd en mevrouw Jacobs gebeld toen het geld op haar
        rekening stond.

        ## Wat er daarna gebeurde

        Ze schreef een kaartje aan "de jongen van de fiets". Het hangt nu bij ons op het
        bord. De fiets was onbeschadigd en ging als nieuw terug in de verkoop: het heeft
        ons vrijwel niets gekost.

        ## Wat we leerden

        Een regel is er voor de gewone situatie. **Opstaan** betekent herkennen wanneer
        een situatie niet gewoon is, en dan de ruimte nemen. Die ruimte hebben we nu
        officieel: agents mogen bij overlijden zonder overleg een retour buiten de termijn
        accepteren.
        """),
)

FIRST_CONTACT = StorySpec(
    title="In één gesprek opgelost, na vier tickets",
    language=Language.NL,
    channel=Channel.PHONE,
    team=BUSINESS,
    author=email_of("Bram Dekker"),
    themes=("team", "tools", "stand-up"),
    age=ago(19, "11:30"),
    body=_md("""
        ## Wat de klant nodig had

        De inkoper van zorggroep De Linde belde voor de vijfde keer over dezelfde
        factuur: drie regels klopten niet, samen €1.240. Vier eerdere contacten hadden
        vier tickets opgeleverd, bij drie afdelingen. *"Ik wil niet nóg een
        ticketnummer."*

        ## Wat ik deed

        Ik heb hem gevraagd aan de lijn te blijven. Daarna:

        1. de factuur en de pakbon naast elkaar gelegd: twee regels waren dubbel
           gefactureerd, één was een verkeerd staffeltarief;
        2. Sandra van debiteuren rechtstreeks gebeld in plaats van een ticket te maken;
        3. de creditnota laten opmaken terwijl hij nog aan de lijn was.

        Na 22 minuten had hij de creditnota in zijn mailbox.

        ## Wat er daarna gebeurde

        De vier oude tickets heb ik gesloten met een verwijzing naar dit gesprek. Hij
        gaf een 9 en schreef erbij: *"Eindelijk iemand die het gewoon afmaakt."*

        ## Wat we leerden

        **First Contact Resolution** weegt zwaarder dan een snelle eerste reactie. Een
        gesprek van 22 minuten is goedkoper dan vijf gesprekken van vijf minuten en vier
        tickets. We hebben nu een vast nummer bij debiteuren voor precies dit soort
        gevallen.
        """),
)

THERMOSTAT = StorySpec(
    title="De thermostaat die elke nacht offline ging",
    language=Language.NL,
    channel=Channel.EMAIL,
    team=ONLINE,
    author=email_of("Jesse de Boer"),
    themes=("tools", "training", "no-limits"),
    age=ago(34, "16:00"),
    body=_md("""
        ## Wat de klant nodig had

        Meneer Bakker mailde voor de derde keer: zijn slimme thermostaat viel elke nacht
        rond half drie uit de wifi. Twee keer had hij het standaardadvies gekregen
        (opnieuw opstarten, fabrieksinstellingen). Twee keer was het daarna weer misgegaan.

        ## Wat ik deed

        Dit was geen vraag meer, dit was een **probleem**. Ik heb in ons systeem gezocht
        naar meer klachten over hetzelfde model en vond er veertien, allemaal met
        uitval 's nachts. In negen gevallen stond bij het contact dezelfde provider.

        Die provider bleek om 02:30 een automatische firmware-update van de modem te
        draaien, waarbij het 2,4 GHz-netwerk kort een andere naam kreeg. Ik heb meneer
        Bakker uitgelegd hoe hij het netwerk een vaste naam geeft.

        ## Wat er daarna gebeurde

        Sinds die avond is de thermostaat niet meer uitgevallen. Ik heb de dertien
        andere klanten ook gemaild; elf reageerden dat het was opgelost.

        ## Wat we leerden

        - Een contactcenter doet steeds meer tweedelijnswerk: wij zijn
          *probleemoplossers*, geen helpdesk.
        - Het kennisartikel is aangepast en de fabrikant heeft het patroon van ons
          gekregen.
        """),
)

COINS = StorySpec(
    title="Driehonderdtwaalf muntjes",
    language=Language.NL,
    channel=Channel.STORE,
    team=RETAIL,
    author=email_of("Daan Smit"),
    themes=("real-conversation", "time-place", "storytelling"),
    age=ago(46, "09:00"),
    body=_md("""
        ## Wat de klant nodig had

        Zaterdagmiddag, de drukste uren. Een jongen van een jaar of tien zette een
        zware spaarpot op de toonbank in onze winkel in Amersfoort. Hij had een jaar
        gespaard voor een controller. Zijn vader stond erachter en keek naar de rij.

        ## Wat ik deed

        Ik heb een collega gevraagd mijn kassa over te nemen en ben met de jongen aan de
        servicebalie gaan zitten. Samen hebben we alles geteld, in stapeltjes van tien:
        **312 muntjes**, €58,40. Precies genoeg, met veertig cent over.

        ## Wat er daarna gebeurde

        Hij rekende zelf af. Zijn vader zei bij het weggaan: *"Dit vergeet hij nooit."*
        Ik ook niet, denk ik.

        ## Wat we leerden

        De rij werd er tien minuten langer door. Niemand klaagde; twee mensen keken mee
        en hielpen tellen. Soms is de tijd nemen precies wat een klant nodig heeft, ook
        als het druk is.
        """),
)

SLOWLY = StorySpec(
    title="Rustig aan, we hebben de tijd",
    language=Language.NL,
    channel=Channel.CHAT,
    team=SOCIAL,
    author=email_of("Zoë Kramer"),
    themes=("real-conversation", "time-place", "tone-of-voice"),
    age=ago(5, "12:00"),
    body=_md("""
        ## Wat de klant nodig had

        Een chat met korte, losse woorden: *"bestel. wasmachine. niet. goed."* Na een
        paar berichten schreef de klant dat hij na een beroerte moeite heeft met taal.
        Bellen lukte hem niet, typen ging langzaam.

        ## Wat ik deed

        Ik schreef: "Rustig aan, we hebben de tijd. Ik stel korte vragen, u mag ja of nee
        typen." Daarna:

        - één vraag per bericht;
        - geen links of ticketnummers, maar wat ik ging doen in gewone woorden;
        - de chat niet laten sluiten bij stilte, ook niet na vijf minuten.

        Het bleek dat de verkeerde wasmachine was bezorgd. Ik heb de omruil ingepland op
        een moment dat zijn dochter thuis kon zijn.

        ## Wat er daarna gebeurde

        De chat duurde 48 minuten. Zijn dochter belde later om te bedanken: hij had haar
        trots verteld dat hij *"het zelf geregeld"* had.

        ## Wat we leerden

        Onze chat sloot automatisch na vier minuten stilte. Dat staat nu op vijftien, en
        agents kunnen het per gesprek uitzetten.
        """),
)

TEMPLATE = StorySpec(
    title="Mijn eerste antwoord was een sjabloon",
    language=Language.NL,
    channel=Channel.EMAIL,
    team=ONLINE,
    author=email_of("Anouk Peters"),
    themes=("tone-of-voice", "training"),
    age=ago(74, "10:00"),
    body=_md("""
        ## Wat de klant nodig had

        Mevrouw Hoekstra schreef een lange mail, vier alinea's, over een kinderwagen die
        na zes weken een kapot wiel had. In de derde alinea stond dat ze alleenstaand
        is, geen auto heeft en de wagen elke dag nodig heeft.

        ## Wat ik deed

        Ik antwoordde met het garantiesjabloon: formulier invullen, wagen opsturen,
        reparatie binnen 10 tot 15 werkdagen. Haar antwoord:

        > Heeft u mijn mail eigenlijk gelezen?

        Nee. Niet echt. Ik heb haar gebeld, sorry gezegd en een leenwagen uit de winkel
        in Leeuwarden bij haar laten bezorgen terwijl de hare gerepareerd werd.

        ## Wat er daarna gebeurde

        Ze schreef dat ze het *"heel menselijk"* vond dat ik toegaf dat het eerste
        antwoord fout was. De reparatie duurde elf dagen; de leenwagen maakte dat
        onbelangrijk.

        ## Wat we leerden

        Een sjabloon is een begin, geen antwoord. In onze training lezen we nu eerst de
        hele mail hardop voor aan elkaar, en pas dan kiezen we wat er in het antwoord
        moet.
        """),
)

DRIVER = StorySpec(
    title="De bezorger die omkeerde",
    language=Language.NL,
    channel=Channel.PHONE,
    team=DELIVERY,
    author=email_of("Kevin Bos"),
    themes=("stand-up", "team", "no-limits"),
    age=ago(58, "14:00"),
    body=_md("""
        ## Wat de klant nodig had

        Een hoogzwangere klant uit Nijmegen belde: haar babybedje stond volgens de
        track-and-trace als *bezorgd*, maar niet bij haar. Ze was uitgerekend over vier
        dagen en haar man zat in het buitenland.

        ## Wat ik deed

        De gebruikelijke route is een onderzoek bij de vervoerder, vijf werkdagen. Ik heb
        de planning gebeld en het nummer van de chauffeur gekregen. Hij zat nog op zijn
        route, drie straten verderop. Het bedje stond bij huisnummer 41 in plaats van 14.

        Hij keerde om, haalde het bij de buren op en zette het bij haar binnen, boven
        op de slaapkamer.

        ## Wat er daarna gebeurde

        Binnen een uur belde ze terug om te bedanken. Een week later kregen we een foto
        van een baby in het bedje.

        ## Wat we leerden

        Met **één telefoontje** naar de juiste persoon los je op wat een onderzoek van
        vijf dagen niet oplost. We hebben nu een lijst met directe nummers van de
        planners per regio.
        """),
)

BUNNY = StorySpec(
    title="Konijn Flop ging op vakantie",
    language=Language.NL,
    channel=Channel.SOCIAL,
    team=SOCIAL,
    author=email_of("Emma Willems"),
    themes=("storytelling", "team", "no-limits"),
    age=ago(97, "11:00"),
    body=_md("""
        ## Wat de klant nodig had

        Een Instagram-bericht van een moeder: haar dochter van vier was haar knuffel,
        konijn Flop, kwijtgeraakt in onze winkel in Utrecht. Het meisje sliep al twee
        nachten slecht.

        ## Wat ik deed

        Ik heb de winkel gebeld. Fleur vond Flop in de bak met gevonden voorwerpen,
        tussen de paraplu's. We hadden hem gewoon kunnen opsturen, maar Fleur had een
        beter idee: ze maakte foto's van **Flop op avontuur** in de winkel — in een
        tent op de campingafdeling, achter de kassa, op een skateboard.

        ## Wat er daarna gebeurde

        Flop kwam de volgende dag met de post aan, met de foto's en een briefje "van
        Flop". De moeder deelde alles in haar verhaal; honderden mensen reageerden.

        > Ze vertelt iedereen dat Flop een baantje had bij jullie.

        ## Wat we leerden

        Een goed verhaal ontstaat als je net één stap verder gaat dan nodig. Het kostte
        een half uur en een postzegel.
        """),
)

POSTCODE = StorySpec(
    title="Veertig pakketjes bij buren die er niet waren",
    language=Language.NL,
    channel=Channel.EMAIL,
    team=DELIVERY,
    author=email_of("Ayşe Yılmaz"),
    themes=("tools", "team", "stand-up"),
    age=ago(80, "13:00"),
    body=_md("""
        ## Wat de klant nodig had

        Een klant in Almere-Poort mailde dat zijn pakket *"afgegeven bij de buren"* was,
        maar geen enkele buur had het. Dat was het derde bericht van die week uit
        dezelfde wijk.

        ## Wat ik deed

        Ik heb niet alleen deze klant geholpen, maar ook de andere meldingen naast
        elkaar gelegd. Alle 40 meldingen van die maand kwamen uit drie postcodes, en
        allemaal op dezelfde route van de vervoerder.

        - Klant geholpen: een nieuw pakket, dezelfde dag verstuurd.
        - De vervoerder gebeld met de lijst, niet met één klacht.
        - Youssef gevraagd het bij het kwartaaloverleg op tafel te leggen.

        ## Wat er daarna gebeurde

        De chauffeur bleek pakketten te scannen bij een verkeerd nummer door een fout
        in zijn handscanner. Na de reparatie zijn er in die wijk geen meldingen meer
        geweest.

        ## Wat we leerden

        Eén klacht is een klant, veertig klachten zijn een **probleem**. Wie het patroon
        ziet, kan het bij de bron oplossen.
        """),
)

STORIES_NL: tuple[StorySpec, ...] = (
    STAND_UP,
    FIRST_CONTACT,
    THERMOSTAT,
    COINS,
    SLOWLY,
    TEMPLATE,
    DRIVER,
    BUNNY,
    POSTCODE,
)
