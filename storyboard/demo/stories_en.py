"""Hand-written English agent stories, each showing one idea from the design brief.

They are the stories a visitor should stumble on first, so they are written out with
care: the birthday present, a sincere apology, a promise not made, a no-limits week, a
public complaint turned round, and what a team does after a heavy call.
"""

from __future__ import annotations

from textwrap import dedent

from storyboard.demo.people import BUSINESS, DELIVERY, ONLINE, SOCIAL, email_of
from storyboard.demo.spec import StorySpec, ago
from storyboard.models import Channel, Language

BIRTHDAY_TITLE = "A present for his daughter, delivered on her birthday"


def _md(text: str) -> str:
    return dedent(text).strip()


BIRTHDAY = StorySpec(
    title=BIRTHDAY_TITLE,
    language=Language.EN,
    channel=Channel.PHONE,
    team=ONLINE,
    author=email_of("Lotte Meijer"),
    themes=("real-conversation", "stand-up", "storytelling", "no-limits"),
    age=ago(9, "11:20"),
    body=_md("""
        ## What the customer needed

        A quarter past nine in the morning. Mr. Verhoeven called with his order number
        ready: *"Where is my order?"* The tracking page said **tomorrow**, and the quick
        answer was right there on my screen. I could have read it out and closed the
        call in forty seconds.

        Instead I asked what he had ordered. A drawing tablet. For his daughter Noor.
        And then, a bit quieter: *"It's her birthday today. She turns twelve. I thought
        I had ordered it in time."*

        ## What I did

        "It arrives tomorrow" was correct, and it was also the wrong answer. So I told
        him I would try to get it to Noor today, and that I would call him back within
        the hour either way.

        - The parcel was still in our warehouse in Tilburg, sorted for tomorrow's van.
        - I called the warehouse shift lead, who pulled it from the cage.
        - Kevin from the delivery team found a same-day courier with room on the
          afternoon run to Breda.

        I called Mr. Verhoeven back after 35 minutes: *"It will be there between five
        and seven."*

        ## What happened next

        It arrived at ten past six, just before the cake. The next morning he sent a
        photo of Noor drawing on the tablet, and he answered the survey with a **10**:

        > I called to ask where a parcel was. You asked who it was for.

        The courier cost us €18.50.

        ## What we learned

        The tracking status answers *where* the parcel is. Only a question answers *why
        it matters*. Marloes shared this story at the stand-up with one line: "this is
        what 99% looks like from the inside — one father."
        """),
)

APOLOGY = StorySpec(
    title="Twice broken, once properly sorry",
    language=Language.EN,
    channel=Channel.EMAIL,
    team=ONLINE,
    author=email_of("Jesse de Boer"),
    themes=("tone-of-voice", "real-conversation"),
    age=ago(23, "14:00"),
    body=_md("""
        ## What the customer needed

        Mrs. Okafor's dinner set arrived broken. The replacement arrived broken too. Her
        third e-mail was short: *"I don't want a form. I want someone to admit this is
        ridiculous."*

        ## What I did

        I threw away the draft that started with "We regret any inconvenience". What I
        wrote instead:

        > You are right, and I am sorry. You ordered one dinner set and we have now sent
        > you two boxes of shards. That is our packing, not bad luck.

        Then I made it right without making her ask:

        1. A new set, packed by hand by a colleague in the warehouse who photographed
           the box before it left.
        2. A delivery slot she chose herself.
        3. A €25 voucher, **and** I told her she did not need to return anything.

        ## What happened next

        She wrote back within ten minutes: *"Thank you for not pretending."* The set
        arrived whole. Her survey score went from a 2 after the second delivery to a 9.

        ## What we learned

        An apology only works when it is **sincere and specific**, and it works twice as
        well with something concrete next to it. We also sent the photos to the packing
        team: the plates now travel in the double-walled boxes.
        """),
)

NO_PROMISE = StorySpec(
    title="I didn't promise Thursday",
    language=Language.EN,
    channel=Channel.PHONE,
    team=DELIVERY,
    author=email_of("Tom Hendriks"),
    themes=("tone-of-voice", "real-conversation", "team"),
    age=ago(41, "10:45"),
    body=_md("""
        ## What the customer needed

        Mr. de Groot's new sofa was "delayed at the supplier". His family was coming on
        Saturday and he asked me, three times, to just tell him it would come on
        Thursday.

        ## What I did

        Saying "Thursday" would have ended the call nicely. But I didn't know it, and
        the supplier had already missed one date. So I said:

        > I can't promise Thursday, and I don't want to give you a date that breaks
        > again. I *can* promise that I will call you on Monday before noon with a date
        > I have checked myself.

        He wasn't happy. On Monday at 10:40 I called him: the sofa would come on
        Friday, confirmed by the supplier's planner, whom I had called directly.

        ## What happened next

        It came on Friday. He told me it was the first time in the whole order that
        someone had done what they said. He also admitted that a broken Thursday would
        have made him furious.

        ## What we learned

        - A promise we can't keep costs more than an honest "I don't know yet".
        - A **callback promise** is one we can always keep.
        - We now ask the supplier's planner, not the portal, before we name a date.
        """),
)

LAPTOPS = StorySpec(
    title="Forty laptops before exam week",
    language=Language.EN,
    channel=Channel.PHONE,
    team=BUSINESS,
    author=email_of("Naomi Mensah"),
    themes=("no-limits", "team", "stand-up"),
    age=ago(67, "12:00"),
    body=_md("""
        ## What the customer needed

        A secondary school in Deventer called on a Thursday afternoon. Their laptop
        order for the exam hall had been cancelled by a payment error nobody had told
        them about. Exams started **Monday at 8:30**. Forty pupils, no laptops.

        ## What I did

        The normal answer was a new order and a delivery in five to seven working days.
        I asked our account manager to approve delivery on invoice, and then I asked
        the warehouse what "impossible" would take.

        - Thirty-one laptops were in stock in Tilburg, nine in two stores.
        - Priya and Fleur pulled the nine from the stores in Apeldoorn and Zwolle.
        - Our installation partner agreed to image them on Saturday.

        ## What happened next

        Sunday at four the IT coordinator signed for forty laptops, imaged and labelled.
        On Monday she sent a photo of a silent exam hall: *"This is what you did."*

        ## What we learned

        Most limits were ours: the five-to-seven days are a default, not a law. We also
        added a check so that a failed payment on a business order is **phoned through**,
        not only e-mailed.
        """),
)

TWEET = StorySpec(
    title="The angry post that became a thank-you",
    language=Language.EN,
    channel=Channel.SOCIAL,
    team=SOCIAL,
    author=email_of("Lucas Oliveira"),
    themes=("real-conversation", "tone-of-voice"),
    age=ago(15, "17:00"),
    body=_md("""
        ## What the customer needed

        A post on X, with our name in it and 200 likes within the hour: a refund of
        €349 for a returned coffee machine had been "promised for three weeks". The
        customer, Sam, said he was done with *"copy-paste robots"*.

        ## What I did

        I answered publicly in my own words, not the template: "Sam, that's three weeks
        too long. I'm Lucas, I'm picking this up myself — can you DM me your order
        number?" In the DM I found the reason: the return was registered on the wrong
        order line, so the refund never started. I fixed the line, had finance release
        the refund the same day, and sent him the confirmation.

        ## What happened next

        The next morning Sam posted again:

        > OK, credit where due. A human called Lucas sorted it in one evening.

        That post got more likes than the first one.

        ## What we learned

        On social media **everyone is watching how we answer**, not only the customer.
        A name and a real sentence do more than a perfect template.
        """),
)

AFTER_THE_CALL = StorySpec(
    title="After the call about her father",
    language=Language.EN,
    channel=Channel.PHONE,
    team=ONLINE,
    author=email_of("Anouk Peters"),
    themes=("team-support", "time-place", "real-conversation"),
    age=ago(52, "15:00"),
    body=_md("""
        ## What the customer needed

        A woman called to close her father's customer account. He had died the week
        before. She had a list of eleven things to cancel and we were number seven. She
        cried twice during the call, and apologised for it both times.

        ## What I did

        I told her there was nothing to apologise for. I closed the account, cancelled
        his open order and refunded it without asking for a death certificate, and I
        told her she would not get any more e-mails from us in his name.

        After the call I sat still and couldn't take the next one.

        ## What happened next

        Marloes saw my status stay on "after-call work" and came over. We walked around
        the building for ten minutes. Nobody asked about my handling time.

        ## What we learned

        Calls like this are part of the job, and so is what comes after them. We now
        have:

        - a **quiet room** on the second floor that anyone can use after a heavy call;
        - an agreement that "after-call work" may take as long as it takes;
        - a short guide for bereavement calls, written by the agents who take them.
        """),
)

STORIES_EN: tuple[StorySpec, ...] = (BIRTHDAY, APOLOGY, NO_PROMISE, LAPTOPS, TWEET, AFTER_THE_CALL)
