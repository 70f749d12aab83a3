"""English words for the generator: headings, customers, products, reactions, lessons."""

from __future__ import annotations

from storyboard.demo.frames import Customer, Product, Voice
from storyboard.models import Channel, Language

VOICE_EN = Voice(
    language=Language.EN,
    headings=("What the customer needed", "What I did", "What happened next", "What we learned"),
    lead_ins=("The question.", "What I did.", "How it ended.", "The lesson."),
    lesson_label="What we learned:",
    pronouns={
        False: {"he": "he", "him": "him", "his": "his"},
        True: {"he": "she", "him": "her", "his": "her"},
    },
    reached_us={
        Channel.PHONE: "called us",
        Channel.CHAT: "opened a chat with us",
        Channel.EMAIL: "emailed us",
        Channel.SOCIAL: "sent us a message on Facebook",
        Channel.STORE: "came to the service desk in our store",
    },
    customers=(
        Customer("Mrs. Dijkstra from {city}", "Mrs. Dijkstra", True),
        Customer("Mr. Hassan from {city}", "Mr. Hassan", False),
        Customer("a young mother in {city}", "the mother", True),
        Customer("a retired engineer in {city}", "the engineer", False),
        Customer("Ms. Novak, an expat in {city}", "Ms. Novak", True),
        Customer("Mr. Visser from {city}", "Mr. Visser", False),
        Customer("a student in {city}", "the student", True),
        Customer("Mr. Mensink from {city}", "Mr. Mensink", False),
        Customer("Mrs. Chen from {city}", "Mrs. Chen", True),
        Customer("a night-shift nurse in {city}", "the nurse", False),
        Customer("Mr. O'Brien, who had just moved to {city}", "Mr. O'Brien", False),
        Customer("Mrs. Schouten from {city}", "Mrs. Schouten", True),
        Customer("a grandfather in {city}", "the grandfather", False),
        Customer("Ms. Adeyemi from {city}", "Ms. Adeyemi", True),
    ),
    products=(
        Product("washing machine", "appliance", ""),
        Product("fridge", "appliance", ""),
        Product("dishwasher", "appliance", ""),
        Product("tumble dryer", "appliance", ""),
        Product("induction hob", "appliance", ""),
        Product("oven", "appliance", ""),
        Product("corner sofa", "furniture", ""),
        Product("box-spring bed", "furniture", ""),
        Product("wardrobe", "furniture", ""),
        Product("garden set", "furniture", ""),
        Product("coffee machine", "parcel", ""),
        Product("laptop", "parcel", ""),
        Product("vacuum cleaner", "parcel", ""),
        Product("baby monitor", "parcel", ""),
        Product("air fryer", "parcel", ""),
        Product("tablet", "parcel", ""),
        Product("games console", "parcel", ""),
        Product("smartwatch", "parcel", ""),
        Product("food processor", "parcel", ""),
        Product("printer", "parcel", ""),
        Product("e-reader", "parcel", ""),
        Product("electric toothbrush", "parcel", ""),
    ),
    cities=(
        "Amsterdam",
        "Rotterdam",
        "Utrecht",
        "The Hague",
        "Eindhoven",
        "Groningen",
        "Tilburg",
        "Almere",
        "Breda",
        "Nijmegen",
        "Zwolle",
        "Leiden",
        "Maastricht",
        "Haarlem",
        "Amersfoort",
        "Arnhem",
        "Delft",
        "Hilversum",
    ),
    occasions=(
        "a birthday on Saturday",
        "Friday's move",
        "the baby's arrival",
        "a weekend with the grandchildren",
        "a twenty-fifth wedding anniversary",
        "the first day at a new school",
        "Christmas with the family",
        ("a long-planned dinner party"),
        "the opening of a small bakery",
        "an exam week",
    ),
    bulk=(
        "laptops",
        "office chairs",
        "monitors",
        "tablets",
        "coffee machines",
        "headsets",
        "fridges",
    ),
    organisations=(
        "a primary school in Leiden",
        "a GP practice in Zwolle",
        "the De Linde care group",
        "a day-care centre in Utrecht",
        "a physiotherapy practice",
        ("a design studio in Rotterdam"),
        "the Haarlem public library",
        "a start-up in Eindhoven",
    ),
    openers=(
        "Monday morning, with {count} customers waiting in the queue.",
        "A busy day, right before a bank holiday.",
        "Friday, ten to five. My last contact of the week, or so I thought.",
        "It started like the hundreds of conversations we have every day.",
        "To be honest, I first took it for a routine question.",
        "I had been in the team for only a week when this happened.",
        "It was quiet, which almost never happens.",
        "I'm sharing this one because it has stayed with me.",
        "On the day of the system outage, of all days.",
        "An ordinary Tuesday, until this contact.",
    ),
    asides=(
        "It took me {minutes} extra minutes. They were worth it.",
        "My handling time went up that day, and my team lead was fine with it.",
        "I could have closed it in a minute. I chose not to.",
        "In between I kept {short} posted, even when there was no news yet.",
        "I left a note in the customer file so no colleague has to figure it out again.",
        "Looking back, this was the moment that mattered.",
        "Stepping off the script felt a little scary.",
        '{Colleague} told me later: *"Glad you called instead of raising a ticket."*',
    ),
    reactions=(
        "I expected a script and I got a person.",
        "You called back when you said you would. That's rare.",
        "Finally someone who just finishes the job.",
        "You saved my week.",
        "For the first time I felt heard.",
        "I didn't expect this from a big company.",
        "Thank you for looking past the order number.",
        "This is what customer service should be.",
        "Honestly, I had decided never to order from you again. I've changed my mind.",
        "I didn't have to tell my story three times. Thank you.",
        "You could easily have said no.",
        "It felt like talking to a neighbour, not a company.",
        "My mum asked who the kind person on the phone was.",
        "I'll be telling this one at work.",
    ),
    scores=(
        "In the survey {he} gave us a **{score}**.",
        "The NPS survey came back with a **{score}**.",
        "{He} later scored us a **{score}**, with a long comment.",
        "Survey score: a **{score}**.",
    ),
    lessons={
        "real-conversation": (
            (
                "Asking one more question tells you why it matters, and only then do you know "
                "what a good answer is."
            ),
            "The order number tells you *what* is wrong; the customer tells you what it means.",
        ),
        "stand-up": (
            (
                "The process is there for ordinary cases. This wasn't one, and then it's fine to "
                "**do it differently**."
            ),
            (
                "Going against the process gave us more than it cost. We discussed it so the rule "
                "itself gets better."
            ),
        ),
        "storytelling": (
            ("One small extra step turns an ordinary case into a story the customer tells others."),
            "Customers don't remember how fast we were; they remember how we treated them.",
        ),
        "no-limits": (
            "Most limits were our own. Two phone calls showed how much more was possible.",
            "*That's not possible* mostly meant: we've never tried.",
        ),
        "team": (
            (
                "This only worked because colleagues in other departments picked up the phone. "
                "A call beats a ticket."
            ),
            "With the warehouse and the stores we solve more than any team alone.",
        ),
        "training": (
            "We now use this case in the onboarding training for new colleagues.",
            "What I learned here is now a short knowledge article, so everyone can use it.",
        ),
        "tools": (
            "Our system didn't show this; we've asked for an extra field in the customer view.",
            "The knowledge article was out of date. It's fixed, with this case as the example.",
        ),
        "time-place": (
            (
                "Taking time is sometimes the fastest way: one good conversation saves three "
                "follow-ups."
            ),
            "This call could only take that long because nobody was steering on handling time.",
        ),
        "tone-of-voice": (
            "A sincere *sorry* in plain words does more than a polished template.",
            "Don't promise what you can't keep: a callback is a promise you can always keep.",
        ),
        "team-support": (
            (
                "A few minutes of space from your team lead after a heavy call means you can take "
                "the next one well."
            ),
            "It helped a lot that a colleague listened in and thought along.",
        ),
    },
    decimal_comma=False,
)
