"""Stories told by customers themselves (no author account, ``author_kind`` customer).

The brief wants stakeholders to read stories "through customers' eyes"; these few show
what a moderated customer story looks like next to the agents' own.
"""

from __future__ import annotations

from textwrap import dedent

from storyboard.demo.people import DELIVERY, ONLINE, RETAIL
from storyboard.demo.spec import StorySpec, ago
from storyboard.models import Channel, Language


def _md(text: str) -> str:
    return dedent(text).strip()


CALLED_BACK = StorySpec(
    title="They called back exactly when they said they would",
    language=Language.EN,
    channel=Channel.PHONE,
    team=DELIVERY,
    author=None,
    themes=("real-conversation", "tone-of-voice"),
    age=ago(30, "10:00"),
    body=_md("""
        I'll be honest: I called expecting a fight. Our new fridge had been "planned"
        three times and three times nobody came. I had taken three days off work.

        The man on the phone didn't read me a script. He said he could see it had gone
        wrong three times, that this was not how it should be, and that he **would not
        give me a new date until he was sure of it**. He promised to call me back the
        next day before eleven.

        At 10:52 my phone rang. He had spoken to the planner himself, booked the first
        slot of the morning and put a note on the order that the driver should call me
        half an hour before arriving. He also arranged a refund of the delivery costs
        without me asking.

        The fridge came. The driver called. It took twenty minutes.

        > What stayed with me was not the fridge. It was that someone did exactly what
        > he said he would do.

        I don't usually write reviews. This one I wanted to share.
        """),
)

REMEMBERED = StorySpec(
    title="The store that remembered my son's name",
    language=Language.EN,
    channel=Channel.STORE,
    team=RETAIL,
    author=None,
    themes=("real-conversation", "storytelling"),
    age=ago(88, "13:00"),
    body=_md("""
        My son Milan is autistic and shopping is hard for him: the lights, the music,
        the people. In March we went to your store in Haarlem for new headphones, and a
        young woman at the service desk noticed he was struggling.

        She didn't make a fuss. She asked if we wanted to look at the headphones in the
        stock room, where it was quiet, and she let Milan try six pairs there **without
        hurrying us once**. She explained everything to him, not to me.

        Last week we came back for a charger. She saw us come in, walked over and said:
        *"Hi Milan, how are the headphones?"* He talked to her for five minutes. He
        never talks to strangers.

        I don't know her name, and I wish I did. Please tell her that a boy in Haarlem
        now asks when we can go back "to the quiet shop".
        """),
)

MOVING_DAY = StorySpec(
    title="Bezorgd op de dag van onze verhuizing",
    language=Language.NL,
    channel=Channel.PHONE,
    team=DELIVERY,
    author=None,
    themes=("no-limits", "team"),
    age=ago(63, "11:00"),
    body=_md("""
        We hadden een wasmachine en een koelkast besteld voor ons nieuwe huis. De
        bezorging was gepland op vrijdag, maar op woensdag hoorden we dat de sleutel
        pas zaterdag kwam. Zaterdag bezorgen jullie normaal niet in onze regio.

        Ik belde en verwachtte het antwoord "dan wordt het volgende week". De
        medewerker vroeg hoe laat de sleutel kwam, hoe laat de verhuiswagen, en of er
        een lift was. Daarna zei ze: *"Ik ga kijken wat er kan. Ik bel u vanmiddag."*

        Die middag belde ze terug: een bezorgploeg uit Utrecht kon zaterdag om twee uur
        komen. Ze kwamen om kwart voor twee, sloten alles aan en namen het karton mee.

        > Onze eerste avond in het nieuwe huis draaide de wasmachine al.

        **Dank jullie wel**, en vooral de mevrouw aan de telefoon die niet "nee" zei.
        """),
)

WARRANTY = StorySpec(
    title="Garantie voorbij, en toch geholpen",
    language=Language.NL,
    channel=Channel.CHAT,
    team=ONLINE,
    author=None,
    themes=("stand-up", "real-conversation"),
    age=ago(104, "14:00"),
    body=_md("""
        Mijn koffiemachine ging kapot twee weken na het einde van de garantie. Ik
        startte de chat vooral om te klagen; ik verwachtte niets.

        De medewerker vroeg eerst hoe vaak ik hem gebruikte (elke dag, vier koppen) en
        of ik hem ontkalkt had (ja, met de tabletten van jullie). Toen schreef hij:

        > Twee weken na de garantie is voor mij geen reden om u te laten zitten.

        Hij regelde een gratis reparatie. Het ophalen en terugbrengen kostte me niets,
        en ik kreeg een leenapparaat voor de tussentijd.

        Het gaat me niet om de euro's. Het ging erom dat hij **meedacht in plaats van
        een regel voorlas**. Daarom vertel ik het hier.
        """),
)

STORIES_CUSTOMERS: tuple[StorySpec, ...] = (CALLED_BACK, REMEMBERED, MOVING_DAY, WARRANTY)
