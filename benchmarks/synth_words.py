"""Word lists for the synthetic council: Zipf ranks, themes, people and places (all invented)."""

from __future__ import annotations

__all__ = [
    "FUNCTION_WORDS",
    "COMMON_WORDS",
    "MID_WORDS",
    "SYLLABLES",
    "RARE_PHRASES",
    "BANNED",
    "THEMES",
    "OPENERS",
    "ROLES",
    "NAMES",
    "VENUES",
    "EXCLUSION",
    "MONTHS",
]

FUNCTION_WORDS = """the of and to a in that for be was is on with as by it had would this were at which an from
not been are have their there also all more should could its into were has they other will about than
these when out new such some those over may can only both further any each most then through while
within between after before during under where whether""".split()
COMMON_WORDS = """council report members officers services children committee plan work support service improvement
families performance director progress people data number year local need needs team staff review update
position provision area areas budget social care schools partners delivery quality risk funding
assurance outcomes strategy priority priorities residents community health process arrangements cost costs
time months approach officer member policy county borough management current future levels level
framework programme information government national increase issues resources capacity working practice""".split()
MID_WORDS = """assessment audit contract contracts demand pressures savings forecast overspend underspend capital
revenue reserves grant consultation engagement governance inspection transformation pathway commissioning
workforce vacancy vacancies retention agency market procurement compliance monitoring targets indicators
dashboard timescales milestones recovery investment infrastructure maintenance transport schemes
accommodation tenancy homelessness allocations enforcement licensing appeals applications conditions
highway footway drainage resurfacing potholes carriageway flooding recycling collection depot fleet
emissions carbon biodiversity energy retrofit school pupils attendance exclusions attainment inclusion
tribunal plans assessments therapy respite carers residential nursing domiciliary hospital discharge
prevention wellbeing obesity smoking vaccination screening safeguarding referrals contacts threshold
supervision practitioners advocacy voice participation apprenticeships leavers fostering adoption
kinship sufficiency commissioning providers placements costs benchmarking comparators audit findings
recommendations opinion internal external statement accounts treasury borrowing investments lending
counterparty liquidity prudential indicators constitution scheme delegation petition motion amendment
questions answers portfolio lead scrutiny chair vice briefing workshop visit site ward wards parish town
village rural urban market city centre regeneration economy skills employment business businesses
tourism culture libraries leisure parks open spaces cemetery crematorium registrars elections electoral
digital systems technology contract cyber resilience emergency planning insurance claims debt collection
rates benefits discretionary hardship cost-of-living inflation pay award pension fund valuation""".split()
SYLLABLES = """ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu ma me mi mo mu
na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo wa we wi za zo bran
mor tel vic dun hal wen cor lin ster gar thon mel rid pol fen""".split()
RARE_PHRASES = ("asbestos", "ombudsman", "defibrillators", "wildflower verges", "japanese knotweed", "graffiti",
         "allotments", "bus shelters")  # fmt: skip
BANNED = {"minutes", "excluded", "exempt", "follow", "resolved", "recommended", "agreed", "decision"}

THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # theme: (title stems, key words and phrases used in the text)
    "send": (
        (
            "SEND Transport Review",
            "Special Educational Needs and Disabilities (SEND) Strategy",
            "SEND Sufficiency Plan",
            "Education, Health and Care Plans - Timeliness",
        ),
        (
            "SEND",
            "EHCP",
            "EHCPs",
            "special educational needs",
            "tribunal",
            "transport",
            "annual reviews",
            "specialist places",
            "inclusion",
        ),
    ),
    "ofsted": (
        (
            "Ofsted Inspection of Local Authority Children's Services",
            "Improvement Plan for Children and Families",
            "Ofsted Monitoring Visit Outcome",
        ),
        (
            "Ofsted",
            "inspection",
            "monitoring visit",
            "improvement notice",
            "judgement",
            "improvement plan",
            "inspectors",
        ),
    ),
    "placements": (
        ("Placement Sufficiency Strategy", "Children in Care - Placements Update"),
        (
            "placements",
            "residential placements",
            "foster carers",
            "placement stability",
            "children in care",
            "unregulated provision",
            "sufficiency",
        ),
    ),
    "recruitment": (
        ("Workforce Recruitment and Retention", "Recruitment of Social Workers - Progress Update"),
        (
            "recruitment",
            "retention",
            "agency social workers",
            "vacancies",
            "market supplement",
            "newly qualified social workers",
            "workforce",
        ),
    ),
    "caseloads": (
        ("Caseloads and Practice Quality", "Performance Scorecard"),
        ("caseloads", "caseload", "practice quality", "audits", "supervision", "social workers"),
    ),
    "budget": (
        (
            "Budget Monitoring Report",
            "Medium Term Financial Strategy",
            "Revenue Budget and Capital Programme",
        ),
        (
            "budget",
            "overspend",
            "savings",
            "reserves",
            "medium term financial strategy",
            "inflation",
            "capital programme",
        ),
    ),
    "council tax": (
        ("Council Tax Setting", "Council Tax Reduction Scheme"),
        ("council tax", "precept", "council tax reduction", "band D", "referendum limit"),
    ),
    "housing": (
        ("Housing Strategy", "Homelessness and Rough Sleeping Strategy", "Local Plan Review"),
        (
            "housing",
            "affordable housing",
            "homelessness",
            "rough sleeping",
            "temporary accommodation",
            "local plan",
        ),
    ),
    "highways": (
        ("Highways Maintenance Plan", "Public Realm Contract Review"),
        ("highways maintenance", "potholes", "resurfacing", "winter gritting", "street lighting"),
    ),
    "waste": (
        ("Waste Collection Contract", "Recycling Performance"),
        ("waste", "recycling", "food waste", "household waste", "fly-tipping"),
    ),
    "climate": (
        ("Climate Emergency Action Plan", "Biodiversity Net Gain"),
        ("climate emergency", "carbon", "net zero", "biodiversity", "tree planting"),
    ),
    "planning": (
        ("Planning Application", "Local Plan Core Strategy", "Planning Enforcement Update"),
        (
            "planning application",
            "local plan",
            "outline permission",
            "conditions",
            "site visit",
            "highway safety",
            "listed building",
        ),
    ),
    "governance": (
        ("Constitution Review", "Annual Governance Statement", "Scrutiny Work Programme"),
        ("constitution", "governance", "work programme", "delegations", "code of conduct"),
    ),
    "home care": (
        ("Home Care Commissioning", "Adult Social Care Market Sustainability"),
        ("home care", "domiciliary care", "care homes", "hospital discharge", "carers", "fee rates"),
    ),
    "public health": (
        ("Public Health Annual Report", "Health Inequalities Strategy"),
        ("public health", "health inequalities", "vaccination", "smoking cessation", "obesity"),
    ),
    "treasury": (
        ("Treasury Management Strategy", "Statement of Accounts"),
        (
            "treasury management strategy",
            "borrowing",
            "investments",
            "statement of accounts",
            "external auditor",
        ),
    ),
    "risk": (
        ("Corporate Risk Register", "Internal Audit Progress Report"),
        ("risk register", "risk", "internal audit", "limited assurance", "counter fraud"),
    ),
}
OPENERS = (
    "The {role} introduced the report and explained that", "Members noted that", "It was reported that",
    "Councillor {name} asked whether", "In response to a question from Councillor {name}, the {role} explained that",
    "The Chair thanked officers and observed that", "The {role} advised that", "Concern was expressed that",
    "The committee heard that", "Councillor {name} commented that", "Officers confirmed that",
    "It was noted that", "The {role} acknowledged that",
)  # fmt: skip
ROLES = ("Director for Children and Families", "Cabinet Member for Finance", "Chief Executive", "Head of Planning",
          "Service Director for Education", "Director of Adult Social Care", "Section 151 Officer",
          "Cabinet Member for Children and Young People", "Monitoring Officer", "Director of Public Health")  # fmt: skip
NAMES = ("Patel", "Jones", "Williams", "Okafor", "Nguyen", "Harris", "Price", "Morgan", "Clarke", "Bennett",
          "Hughes", "Khan", "Evans", "Murphy", "Shaw", "Lloyd", "Ahmed", "Powell", "Turner", "Rhodes")  # fmt: skip
VENUES = ("Council Chamber, Shire Hall, Benchbridge, BB1 2AA", "Committee Room 1, The Guildhall, Benchbridge",
           "Conference Room, Plough Lane, Benchbridge, BB4 0LE", "Online meeting")  # fmt: skip
EXCLUSION = (
    "RESOLVED: That under section 100A(4) of the Local Government Act 1972 the public be excluded from the "
    "meeting for the following item of business on the grounds that it involves the likely disclosure of exempt "
    "information as defined in Part 1 of Schedule 12A of the Act."
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
