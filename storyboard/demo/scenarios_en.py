"""English scenarios: the everyday service moments the generated stories are built from."""

from __future__ import annotations

from storyboard.demo.frames import Scenario
from storyboard.demo.people import BUSINESS, DELIVERY, ONLINE, RETAIL, SOCIAL
from storyboard.models import Channel

PHONE, CHAT, EMAIL = Channel.PHONE, Channel.CHAT, Channel.EMAIL
SOCIAL_MEDIA, STORE = Channel.SOCIAL, Channel.STORE

SCENARIOS_EN: tuple[Scenario, ...] = (
    Scenario(
        key="late",
        routes=((ONLINE, PHONE), (ONLINE, CHAT), (DELIVERY, PHONE), (SOCIAL, CHAT)),
        themes=("real-conversation", "no-limits"),
        product="any",
        titles=(
            "The {product} that had to make it for {occasion}",
            "Not in {days} days, but today",
            "In time for {occasion}",
        ),
        needs=(
            (
                "{Intro} {reached_us} with a simple question: where is {the_product}? Tracking "
                "said {days} more days. When I asked whether that was a problem, there was a "
                "pause. {The_product} was meant for {occasion}."
            ),
            (
                "On the surface, {intro} only wanted a delivery date for {a_product}. But {he} "
                "sounded rushed, so I asked why. Everything, it turned out, was about "
                "{occasion}."
            ),
        ),
        actions=(
            (
                "The easy answer was to read out the date on my screen. Instead I found out where "
                "{the_product} actually was: still in our Tilburg warehouse. The shift lead pulled "
                "it from the sorting line and {colleague} booked a same-day courier."
            ),
            (
                "I didn't promise a time I couldn't keep, but I did promise to call back within "
                "the hour. In that hour I:\n\n- asked the warehouse to move the order forward;\n"
                "- got {colleague} to find a spot on an extra delivery run;\n- put a note on the "
                "order so nobody would undo it.\n\nAfter {minutes} minutes I called back with a "
                "time slot."
            ),
        ),
        outcomes=(
            (
                "{The_product} arrived that same afternoon, well before {occasion}. {Short} "
                "called back just to say thank you."
            ),
            (
                "It was close: the driver rang the bell at a quarter to six. The next day we got a "
                "photo of {the_product} exactly where it was meant to be."
            ),
        ),
    ),
    Scenario(
        key="damaged",
        routes=((ONLINE, EMAIL), (ONLINE, PHONE), (DELIVERY, PHONE), (SOCIAL, SOCIAL_MEDIA)),
        themes=("tone-of-voice", "real-conversation"),
        product="any",
        titles=(
            "A dented {product} and a proper apology",
            "Broken on arrival, fixed in a day",
            "Saying sorry like we mean it",
        ),
        needs=(
            (
                "{Intro} {reached_us} with photos: {the_product} had arrived damaged. It was the "
                "second thing to go wrong with this order, and {he} had run out of patience. "
                "*\"I don't want a form, I want someone to admit this isn't right.\"*"
            ),
            (
                "When {short} opened the box there was a deep dent in {the_product}. After waiting "
                "{days} days {he} was back at square one. {His} tone was sharp, and fair enough."
            ),
        ),
        actions=(
            (
                "I didn't start with the returns procedure. I started with a real apology:\n\n> "
                "You're right. This shouldn't happen, and it's our fault, not bad luck.\n\nThen I "
                "arranged a replacement on a day {he} chose, a {gift} voucher, and asked the "
                "driver to take the damaged one away."
            ),
            (
                "I asked what {he} wanted most: a replacement or a refund. A replacement, fast. "
                "{Colleague} in the warehouse packed it personally and photographed the box "
                "before it left. I refunded {gift} as compensation without {him} having to ask."
            ),
        ),
        outcomes=(
            (
                "The replacement arrived in one piece. {Short} wrote that the honest apology was "
                "what made the difference."
            ),
            (
                'Fifteen minutes later: *"Thank you for not dancing around it."* The photos went '
                "to the packing team, who changed the box for this product."
            ),
        ),
    ),
    Scenario(
        key="wrong-item",
        routes=((ONLINE, CHAT), (ONLINE, PHONE), (DELIVERY, PHONE), (SOCIAL, CHAT)),
        themes=("team", "real-conversation"),
        product="parcel",
        titles=(
            "Wrong box, right ending",
            "A same-day swap in {city}",
            "The {product} somebody else ordered",
        ),
        needs=(
            (
                "{Intro} {reached_us}: the box didn't contain the {product} {he} had ordered, but "
                "something else entirely. {He} needed it for {occasion} and dreaded a two-week "
                "return."
            ),
            (
                "{Short}'s parcel arrived on time, just with the wrong item inside. According to "
                '{his} message it was the second time this year. *"How hard can it be?"*'
            ),
        ),
        actions=(
            (
                "Instead of sending a return label, I checked whether we could swap it in one "
                "trip. {Colleague} from the delivery team took the right one along and collected "
                "the wrong one at the door. I called {short} to agree on a time slot."
            ),
            (
                "I traced the mistake with the warehouse myself: two article numbers shared one "
                "shelf. Then I:\n\n1. sent the right item by express;\n2. emailed a return label "
                "for the wrong one, no rush;\n3. asked the warehouse to separate the two "
                "articles."
            ),
        ),
        outcomes=(
            (
                "The next morning {short} had the right item. {He} was mostly relieved not to "
                "have to sort it all out alone."
            ),
            (
                "The swap took one day instead of two weeks, and the warehouse changed the shelf "
                "layout so this mistake can't happen again."
            ),
        ),
    ),
    Scenario(
        key="refund",
        routes=((ONLINE, EMAIL), (ONLINE, PHONE), (SOCIAL, SOCIAL_MEDIA)),
        themes=("stand-up", "tools"),
        product="parcel",
        titles=(
            "Three weeks waiting for {amount}",
            "A refund stuck between two systems",
            "Money back for the {product}, for real this time",
        ),
        needs=(
            (
                "{Intro} {reached_us} for the third time. {He} had returned {the_product} {days} "
                "weeks earlier, but the {amount} still wasn't in {his} account. Every time {he} "
                'was told it was *"being processed"*.'
            ),
            (
                "Our system said {short}'s return had arrived, but no money had gone back. "
                "{Amount} is a lot for many people, and {short} told me {he} was counting on it "
                "this month."
            ),
        ),
        actions=(
            (
                'I didn\'t want to say *"being processed"* a fourth time, so I dug in. The return '
                "had been booked on the wrong order line, so the refund never started. I fixed the "
                "line and asked {colleague} in finance to release the payment that day."
            ),
            (
                "I read the case from start to finish and found it: the payment provider was "
                "waiting for a confirmation our warehouse never sent. I:\n\n- had the confirmation "
                "sent by hand;\n- pushed the refund through as urgent;\n- emailed {short} the date "
                "the money would arrive."
            ),
        ),
        outcomes=(
            (
                "Two days later the money was in {his} account, exactly as promised. {Short} sent "
                "a short thank-you."
            ),
            (
                "The money arrived the next morning. While checking, we found eleven other returns "
                "with the same problem; they have been paid out too."
            ),
        ),
    ),
    Scenario(
        key="repair",
        routes=((ONLINE, PHONE), (ONLINE, EMAIL), (RETAIL, STORE), (SOCIAL, CHAT)),
        themes=("no-limits", "real-conversation"),
        product="any",
        titles=(
            "A loan {product} while we repaired theirs",
            "Under warranty, not without {a_product}",
            "The repair that didn't leave a gap",
        ),
        needs=(
            (
                "The {product} belonging to {intro} broke after {days} months. It was under warranty, "
                "but the repair would take two to three weeks, and {he} used it every day."
            ),
            (
                "{Intro} {reached_us}: {the_product} had stopped working. {He} had already tried "
                'everything the internet suggested. *"I just want it to work."*'
            ),
        ),
        actions=(
            (
                "I looked for the fastest repair and also for a way to bridge the gap. Our store "
                "in {city} had a demo model, and {colleague} was happy to lend it. We delivered it "
                "to {short} and took the broken one on the same trip."
            ),
            (
                "First I walked {short} through a few checks that aren't in the standard guide. It "
                "was a real defect. So I:\n\n- booked the repair with priority;\n- arranged a "
                "pick-up time that suited {him};\n- promised to call personally when it was "
                "ready."
            ),
        ),
        outcomes=(
            (
                "The repair took twelve days, and {short} hardly noticed. When I called to say it "
                "was ready, {he} asked if I could help with the next purchase too."
            ),
            (
                "Nine days later {the_product} was back. I called as promised, and {short} was "
                "surprised I actually did."
            ),
        ),
    ),
    Scenario(
        key="second-line",
        routes=((DELIVERY, PHONE), (ONLINE, PHONE), (ONLINE, EMAIL)),
        themes=("training", "tools"),
        product="appliance",
        titles=(
            "Error code E{code} and the real cause",
            "The problem behind the {product} complaint",
            "Second-line work: {a_product} in {city}",
        ),
        needs=(
            (
                "{Intro} {reached_us} for the second time: since installation, {the_product} kept "
                "showing error code E{code}. The first time {he} got the standard advice, off and "
                "on again. It helped for exactly one day."
            ),
            (
                "Our team had installed {short}'s {product} {days} days earlier. Since then it "
                'made a noise *"like a train going through the kitchen"*. {He} just wanted to '
                "send it back."
            ),
        ),
        actions=(
            (
                "This was no longer a question but a **problem**, so I went looking. I found "
                "{count} similar reports for the same model, all shortly after installation. "
                "With {colleague} from the installation crew we found that this model's transit "
                "bolt sits in a different place. On a video call I showed {short} where."
            ),
            (
                "I called {colleague} from the installation crew and, with {short} on the line, we "
                "went through the appliance step by step. Ten minutes later we had it: a setting "
                "that hadn't been adjusted to {his} home during installation."
            ),
        ),
        outcomes=(
            (
                "The problem was solved within fifteen minutes. I updated the knowledge article "
                "and called the other customers with the same report myself."
            ),
            (
                "{The_product} has worked fine since. The installation crew changed their work "
                "instructions so the next customers get it right first time."
            ),
        ),
    ),
    Scenario(
        key="store-stock",
        routes=((RETAIL, PHONE), (SOCIAL, CHAT), (ONLINE, PHONE)),
        themes=("team", "no-limits"),
        product="parcel",
        titles=(
            "Sold out online, one left in {city}",
            "The last {product} in {city}",
            "From the {city} store to the front door",
        ),
        needs=(
            (
                "{Intro} {reached_us}: {the_product} was sold out online, and {he} needed it for "
                "{occasion}. Going to a store wasn't an option; {he} doesn't have a car."
            ),
            (
                "The {product} {short} had picked was marked *unavailable* online. {He} asked, "
                "without much hope, whether there was one anywhere."
            ),
        ),
        actions=(
            (
                "I checked store stock: {city} had one left. {Colleague} put it aside and we "
                "arranged for the delivery van to collect it on its way back. I called {short} "
                "with a time slot."
            ),
            (
                "The {city} store had two in the back. I called {colleague}, who reserved one in "
                "{short}'s name. Since {he} couldn't come in, we sent it by courier straight from "
                "the store."
            ),
        ),
        outcomes=(
            (
                "{Short} had it the next day. {He} didn't know we could ship from a store. "
                "Honestly, neither did we, until that day."
            ),
            (
                "It worked. We're now talking to the stores about making this a standard route "
                "for sold-out items."
            ),
        ),
    ),
    Scenario(
        key="public-complaint",
        routes=((SOCIAL, SOCIAL_MEDIA),),
        themes=("real-conversation", "tone-of-voice"),
        product="any",
        titles=(
            "From an angry post to a thank-you",
            "A public post, a personal answer",
            "No template under a post about {a_product}",
        ),
        needs=(
            (
                "A public post from {intro}, tagging us: {the_product} was {days} days late and "
                "nobody was answering. Within an hour there were dozens of comments."
            ),
            (
                '{Intro} posted a photo of {the_product} with the caption *"so this is how a big '
                'retailer delivers"*. The box was clearly crushed, and the post was spreading.'
            ),
        ),
        actions=(
            (
                "I replied publicly in my own words: it had taken far too long, I was picking it "
                "up myself, could {he} send me a DM? There I found what had gone wrong and fixed "
                "it, with {gift} in compensation."
            ),
            (
                "No stock phrase, just my name and a real question. In the DM I asked what {he} "
                'needed. *"Just get it sorted."* With {colleague} from delivery I arranged a '
                "replacement for the next day."
            ),
        ),
        outcomes=(
            (
                "The next day {short} posted again: sorted, by a person with a name. That post "
                "was shared more than the first one."
            ),
            (
                '{Short} added an update under the original post: *"Fixed, and nicely done."* '
                "Everyone who had read along saw it."
            ),
        ),
    ),
    Scenario(
        key="business",
        routes=((BUSINESS, PHONE), (BUSINESS, EMAIL)),
        themes=("team", "stand-up"),
        product="none",
        titles=(
            "{Count} {bulk} for {org}",
            "Business, but personal: {org}",
            "One point of contact for {org}",
        ),
        needs=(
            (
                "The office manager of {org} {reached_us}: an order of {count} {bulk} had only "
                "half arrived and the invoice was wrong. {He} had called {days} times already and "
                "got a new ticket number every time."
            ),
            (
                "{Org} urgently needed {count} {bulk} for a new location opening on Monday. Our "
                'standard lead time was seven working days. The buyer asked if *"anything"* was '
                "possible."
            ),
        ),
        actions=(
            (
                "I took over the whole case and promised one point of contact: me. I merged the "
                "old tickets, called {colleague} in accounts directly and had the credit note "
                "made while the customer stayed on the line."
            ),
            (
                "I asked the warehouse what was in stock and the stores what they could spare. "
                "Together it added up:\n\n- {count} {bulk} from the warehouse and two stores;\n- "
                "delivery on Friday in our own van;\n- {colleague} helped unpack and set up."
            ),
        ),
        outcomes=(
            (
                "The customer asked if {he} could come straight to me from now on. {He} can: we "
                "now have named contacts for business customers."
            ),
            (
                "By Monday morning everything was ready. The buyer sent a photo of the new "
                'location, with thanks to *"the whole team"*.'
            ),
        ),
    ),
    Scenario(
        key="callback",
        routes=((DELIVERY, PHONE), (ONLINE, PHONE), (ONLINE, EMAIL)),
        themes=("tone-of-voice", "real-conversation"),
        product="big",
        titles=(
            "I didn't promise a date for the {product}",
            "A callback instead of a guess",
            'An honest "I don\'t know yet"',
        ),
        needs=(
            (
                "{Intro} {reached_us} about {the_product}: delayed at the supplier, for the second "
                "time. {He} wanted me to promise a date, any date, because of {occasion}."
            ),
            (
                '{Short}\'s {product} had been *"expected next week"* for {days} weeks. {He} '
                'asked me straight out: *"Can you just give me a day?"*'
            ),
        ),
        actions=(
            (
                "A date would have ended the call nicely, but I didn't have one I trusted. I said "
                "so, and promised something I could keep: a call back the next day before noon "
                "with a date I had checked myself. Then I rang the supplier's planner directly."
            ),
            (
                "I explained that the portal's date had already broken once and I didn't want to "
                "break a second one. I asked {colleague} to check the supplier's real planning "
                "and called {short} back {minutes} minutes later with a confirmed slot."
            ),
        ),
        outcomes=(
            (
                "I called back at 10:40 with a confirmed day, and it held. {Short} said it was the "
                "first promise in the whole order that had been kept."
            ),
            (
                "{The_product} arrived on the day I named. {Short} admitted a broken promise would "
                "have made {him} furious; an honest answer made {him} patient."
            ),
        ),
    ),
    Scenario(
        key="store-advice",
        routes=((RETAIL, STORE),),
        themes=("real-conversation", "storytelling"),
        product="any",
        titles=(
            "No sales pitch, just the right {product}",
            "Advice at the desk in {city}",
            "The cheapest {product} was the right one",
        ),
        needs=(
            (
                "{Intro} {reached_us} and asked for the most expensive {product} we had. When I "
                "asked what it was for, it turned out to be something simple: {he} was shopping "
                "for {occasion}."
            ),
            (
                "{Intro} had been walking around the store for twenty minutes and ended up at the "
                "desk, a little lost. {He} had read three reviews online that contradicted each "
                "other and no longer knew which {product} to pick."
            ),
        ),
        actions=(
            (
                "No sales pitch, just questions: how often, for whom, how much space. Then I showed "
                "two models, including a cheaper one that suited {him} better. I said honestly "
                "that the expensive one mostly had features {he} would never use."
            ),
            (
                "We walked the aisles together. I explained the differences in plain words and "
                "asked {colleague}, who owns one, to join us. After {minutes} minutes {short} knew "
                "exactly what {he} wanted, and why."
            ),
        ),
        outcomes=(
            (
                "{Short} bought the cheaper model and came back a week later to say it was just "
                "right. This time {he} bought a present for a friend as well."
            ),
            (
                '{Short} went home happy. A few days later the store got an e-mail: *"Finally '
                "someone who didn't try to sell me something I didn't need.\"*"
            ),
        ),
    ),
)
