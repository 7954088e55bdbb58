"""Employers, roles and supervisors for synthetic employment histories, one table per kind of
employer that matters for SIV and P-2 eligibility (/work/shared/DOMAIN.md section 2).

US government bodies, armed forces, ISAF/Resolute Support contingents and the two US public
broadcasters are named as they are (working for them is the point of the programs and says
nothing bad about anyone). Contractors, grantees, private media and NGOs are INVENTED generic
names ("Mission Support Contractor LLC") so that no real company or charity appears in test
data. The ISAF lead-nation provinces are public history (for example the Germans in the north,
the British in Helmand, the Canadians in Kandahar). E-mail domains use the reserved ``.example``
top-level domain (RFC 2606) so that nothing can ever be sent to them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EMPLOYERS",
    "EMPLOYER_KINDS",
    "INTERPRETER_ROLES",
    "US_SUPERVISOR_FIRST_NAMES",
    "US_SUPERVISOR_LAST_NAMES",
    "Employer",
    "badge_prefix",
]

EMPLOYER_KINDS: tuple[str, ...] = (
    "us_government_agency",
    "us_military",
    "us_government_contractor",
    "isaf_member_force",
    "us_funded_grantee",
    "us_based_media",
    "us_based_ngo",
    "other",
)

INTERPRETER_ROLES = frozenset({"Interpreter", "Linguist", "Translator"})

_MILITARY_ROLES = (
    "Interpreter",
    "Interpreter",
    "Interpreter",
    "Linguist",
    "Cultural advisor",
    "Security guard",
    "Driver",
    "Mechanic",
    "Electrician",
    "Cook",
    "Construction worker",
)
_CONTRACTOR_ROLES = (
    "Interpreter",
    "Interpreter",
    "Linguist",
    "Security guard",
    "Security guard",
    "Driver",
    "Engineer",
    "Logistics assistant",
    "IT technician",
    "Mechanic",
    "Electrician",
    "Cook",
    "Site supervisor",
)
_AGENCY_ROLES = (
    "Program officer",
    "Engineer",
    "Driver",
    "Security guard",
    "Translator",
    "Admin assistant",
    "Monitoring and evaluation specialist",
    "IT technician",
)
_GRANTEE_ROLES = (
    "Program officer",
    "Field monitor",
    "Trainer",
    "Engineer",
    "Accountant",
    "Driver",
    "Community mobiliser",
    "Health worker",
)
_MEDIA_ROLES = ("Journalist", "Reporter", "Producer", "Fixer", "Camera operator", "Translator")
_NGO_ROLES = (
    "Program officer",
    "Teacher",
    "Trainer",
    "Health worker",
    "Driver",
    "Security guard",
    "Accountant",
)
_OTHER_ROLES = ("Engineer", "Guard", "Teacher", "Driver", "Clerk", "Soldier", "Police officer")


@dataclass(frozen=True, slots=True)
class Employer:
    """An employer: ``names[0]`` is how an HR letter writes it, the rest how applicants do;
    ``provinces`` are where it mostly worked (empty: anywhere)."""

    kind: str
    names: tuple[str, ...]
    roles: tuple[str, ...]
    email_domain: str
    provinces: tuple[str, ...] = ()
    supervisors: tuple[str, ...] = ()
    """Supervisor names typical of the employer; empty: American names."""


EMPLOYERS: tuple[Employer, ...] = (
    # us_government_agency
    Employer(
        "us_government_agency",
        ("U.S. Agency for International Development", "USAID", "US Agency for Intl Development"),
        _AGENCY_ROLES,
        "usaid.example",
    ),
    Employer(
        "us_government_agency",
        ("U.S. Embassy Kabul", "US Embassy Kabul", "American Embassy Kabul", "Embassy Kabul"),
        (*_AGENCY_ROLES, "Local guard", "Consular assistant", "Political assistant"),
        "embassy.example",
        ("AF-KAB",),
    ),
    Employer(
        "us_government_agency",
        ("U.S. Department of State", "Department of State", "DoS", "State Department"),
        _AGENCY_ROLES,
        "state.example",
    ),
    Employer(
        "us_government_agency",
        ("U.S. Department of Agriculture", "USDA", "US Dept of Agriculture"),
        _AGENCY_ROLES,
        "usda.example",
    ),
    # us_military
    Employer(
        "us_military",
        ("U.S. Army", "US Army", "United States Army", "American Army"),
        _MILITARY_ROLES,
        "army.example",
        ("AF-KAN", "AF-PAR", "AF-KHO", "AF-NAN", "AF-KNR", "AF-PIA", "AF-GHA"),
    ),
    Employer(
        "us_military",
        ("U.S. Marine Corps", "USMC", "US Marines", "Marine Corps"),
        _MILITARY_ROLES,
        "usmc.example",
        ("AF-HEL", "AF-NIM", "AF-FRA"),
    ),
    Employer(
        "us_military",
        ("U.S. Air Force", "USAF", "US Air Force"),
        _MILITARY_ROLES,
        "af.example",
        ("AF-PAR", "AF-KAN", "AF-KAB"),
    ),
    Employer(
        "us_military",
        ("U.S. Special Operations Forces", "US Special Forces", "Special Forces"),
        _MILITARY_ROLES,
        "sof.example",
    ),
    Employer(
        "us_military",
        ("Combined Security Transition Command - Afghanistan", "CSTC-A", "CSTC-Afghanistan"),
        _MILITARY_ROLES,
        "cstca.example",
        ("AF-KAB",),
    ),
    # us_government_contractor (invented names)
    Employer(
        "us_government_contractor",
        ("Mission Support Contractor LLC", "Mission Support Contractor", "MSC LLC"),
        _CONTRACTOR_ROLES,
        "missionsupport.example",
    ),
    Employer(
        "us_government_contractor",
        ("Linguist Staffing Contractor Inc.", "Linguist Staffing Contractor", "LSC Inc"),
        ("Interpreter", "Interpreter", "Linguist", "Cultural advisor", "Translator"),
        "linguiststaffing.example",
    ),
    Employer(
        "us_government_contractor",
        ("Base Life Support Contractor LLC", "Base Life Support Contractor", "BLS Contractor"),
        _CONTRACTOR_ROLES,
        "baselife.example",
        ("AF-PAR", "AF-KAN", "AF-HEL"),
    ),
    Employer(
        "us_government_contractor",
        ("Convoy Security Contractor Ltd.", "Convoy Security Contractor", "CSC Ltd"),
        ("Security guard", "Security guard", "Driver", "Team leader", "Interpreter"),
        "convoysecurity.example",
    ),
    Employer(
        "us_government_contractor",
        ("Reconstruction Engineering Contractor Inc.", "Reconstruction Engineering Contractor"),
        ("Engineer", "Site supervisor", "Electrician", "Driver", "Interpreter", "Surveyor"),
        "reconstruction.example",
    ),
    Employer(
        "us_government_contractor",
        ("Logistics Contractor Group LLC", "Logistics Contractor Group", "LCG"),
        _CONTRACTOR_ROLES,
        "logisticsgroup.example",
    ),
    Employer(
        "us_government_contractor",
        ("Police Training Contractor Corp.", "Police Training Contractor"),
        ("Interpreter", "Trainer", "Driver", "Security guard", "Admin assistant"),
        "policetraining.example",
    ),
    # isaf_member_force
    Employer(
        "isaf_member_force",
        ("German Bundeswehr (ISAF)", "Bundeswehr", "German Army ISAF", "German Armed Forces"),
        _MILITARY_ROLES,
        "bundeswehr.example",
        ("AF-BAL", "AF-KDZ", "AF-BDS"),
        supervisors=("Stefan Schmidt", "Andreas Weber", "Katrin Fischer"),
    ),
    Employer(
        "isaf_member_force",
        ("British Army (ISAF)", "UK Armed Forces", "British Forces", "British Army"),
        _MILITARY_ROLES,
        "britisharmy.example",
        ("AF-HEL",),
        supervisors=("Oliver Hughes", "Liam MacDonald", "Ryan O'Brien"),
    ),
    Employer(
        "isaf_member_force",
        ("Canadian Armed Forces (ISAF)", "Canadian Forces", "Canadian Army"),
        _MILITARY_ROLES,
        "canadianforces.example",
        ("AF-KAN",),
        supervisors=("Marc Tremblay", "Sarah Campbell", "Kyle MacLeod"),
    ),
    Employer(
        "isaf_member_force",
        ("Norwegian Armed Forces (ISAF)", "Norwegian Army", "Norway PRT Meymaneh"),
        _MILITARY_ROLES,
        "norwegianforces.example",
        ("AF-FYB",),
        supervisors=("Ole Berg", "Lars Hansen", "Ingrid Johansen"),
    ),
    Employer(
        "isaf_member_force",
        ("Danish Army (ISAF)", "Danish Forces", "Danish Army"),
        _MILITARY_ROLES,
        "danisharmy.example",
        ("AF-HEL",),
        supervisors=("Anders Nielsen", "Mette Jensen", "Rasmus Larsen"),
    ),
    Employer(
        "isaf_member_force",
        ("Netherlands Armed Forces (ISAF)", "Dutch Army", "Task Force Uruzgan"),
        _MILITARY_ROLES,
        "dutchforces.example",
        ("AF-URU",),
        supervisors=("Jan de Vries", "Tom Bakker", "Sanne Visser"),
    ),
    Employer(
        "isaf_member_force",
        ("Italian Army (ISAF)", "Italian Forces", "Italian Army"),
        _MILITARY_ROLES,
        "italianarmy.example",
        ("AF-HER", "AF-FRA"),
        supervisors=("Marco Rossi", "Luca Bianchi", "Giulia Romano"),
    ),
    Employer(
        "isaf_member_force",
        ("Turkish Armed Forces (ISAF)", "Turkish Army", "Turkish PRT Wardak"),
        _MILITARY_ROLES,
        "turkishforces.example",
        ("AF-WAR", "AF-KAB"),
        supervisors=("Mehmet Yilmaz", "Emre Demir", "Ayse Kaya"),
    ),
    Employer(
        "isaf_member_force",
        ("Australian Defence Force (ISAF)", "ADF", "Australian Army"),
        _MILITARY_ROLES,
        "adf.example",
        ("AF-URU",),
        supervisors=("Jack Wilson", "Emma Thompson", "Lachlan Smith"),
    ),
    Employer(
        "isaf_member_force",
        ("Polish Armed Forces (ISAF)", "Polish Army", "Polish Forces"),
        _MILITARY_ROLES,
        "polishforces.example",
        ("AF-GHA",),
        supervisors=("Piotr Nowak", "Anna Kowalska", "Tomasz Wojcik"),
    ),
    Employer(
        "isaf_member_force",
        ("NATO Resolute Support Mission", "Resolute Support", "RSM HQ", "NATO RS"),
        _MILITARY_ROLES,
        "resolutesupport.example",
        ("AF-KAB",),
        supervisors=("Sophie Martin", "Stefan Schmidt", "John Miller"),
    ),
    # us_funded_grantee (invented names)
    Employer(
        "us_funded_grantee",
        ("Rural Livelihoods Program (USAID-funded)", "Rural Livelihoods Program", "RLP"),
        _GRANTEE_ROLES,
        "rurallivelihoods.example",
    ),
    Employer(
        "us_funded_grantee",
        ("Community Health Project (US grant)", "Community Health Project", "CHP"),
        _GRANTEE_ROLES,
        "communityhealth.example",
    ),
    Employer(
        "us_funded_grantee",
        ("Provincial Governance Support Program", "Governance Support Program", "PGSP"),
        _GRANTEE_ROLES,
        "governancesupport.example",
    ),
    Employer(
        "us_funded_grantee",
        ("Women's Literacy Initiative (USAID-funded)", "Womens Literacy Initiative"),
        _GRANTEE_ROLES,
        "literacyinitiative.example",
    ),
    Employer(
        "us_funded_grantee",
        ("Agricultural Extension Project (US-funded)", "Agricultural Extension Project"),
        _GRANTEE_ROLES,
        "agextension.example",
    ),
    # us_based_media
    Employer(
        "us_based_media",
        ("Voice of America (Dari and Pashto services)", "Voice of America", "VOA"),
        _MEDIA_ROLES,
        "voa.example",
        ("AF-KAB",),
    ),
    Employer(
        "us_based_media",
        ("Radio Free Europe/Radio Liberty - Radio Azadi", "Radio Azadi", "RFE/RL"),
        _MEDIA_ROLES,
        "rferl.example",
        ("AF-KAB",),
    ),
    Employer(
        "us_based_media",
        ("American Newswire Kabul Bureau", "American Newswire", "AN Kabul"),
        _MEDIA_ROLES,
        "americannewswire.example",
        ("AF-KAB",),
    ),
    Employer(
        "us_based_media",
        ("US Television News Network - Kabul Bureau", "US Television News Network"),
        _MEDIA_ROLES,
        "ustvnews.example",
    ),
    # us_based_ngo (invented names)
    Employer(
        "us_based_ngo",
        ("American Relief Committee for Afghanistan", "American Relief Committee", "ARCA"),
        _NGO_ROLES,
        "americanrelief.example",
    ),
    Employer(
        "us_based_ngo",
        ("US Education Foundation - Afghanistan Office", "US Education Foundation"),
        _NGO_ROLES,
        "educationfoundation.example",
    ),
    Employer(
        "us_based_ngo",
        ("Global Health Partners USA", "Global Health Partners", "GHP"),
        _NGO_ROLES,
        "globalhealthpartners.example",
    ),
    Employer(
        "us_based_ngo",
        ("Women's Rights Advocacy Network (US)", "Womens Rights Advocacy Network"),
        _NGO_ROLES,
        "womensrights.example",
    ),
    # other
    Employer("other", ("Afghan National Army", "ANA"), _OTHER_ROLES, "ana.example"),
    Employer("other", ("Afghan Ministry of Interior", "MoI"), _OTHER_ROLES, "moi.example"),
    Employer(
        "other",
        ("Local construction company", "Construction company"),
        _OTHER_ROLES,
        "construction.example",
    ),
    Employer(
        "other",
        ("Afghan private security company", "Private security company"),
        _OTHER_ROLES,
        "privatesecurity.example",
    ),
    Employer(
        "other",
        ("United Nations agency (Kabul office)", "UN agency"),
        ("Driver", "Program officer", "Security guard", "Clerk"),
        "un.example",
    ),
)

US_SUPERVISOR_FIRST_NAMES: tuple[str, ...] = (
    "John", "Michael", "David", "James", "Robert", "William", "Christopher", "Daniel",
    "Matthew", "Joseph", "Thomas", "Mark", "Steven", "Kevin", "Brian", "Jason", "Sarah",
    "Jennifer", "Jessica", "Emily", "Laura", "Karen", "Amanda", "Rachel",
)  # fmt: skip
US_SUPERVISOR_LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King",
)  # fmt: skip

# Badge numbers start with the base's short name where one is typical for the province.
_BADGE_PREFIXES: dict[str, str] = {
    "AF-KAN": "KAF",
    "AF-PAR": "BAF",
    "AF-HEL": "CL",
    "AF-KAB": "KBL",
    "AF-NAN": "JAF",
    "AF-KHO": "FOBS",
    "AF-BAL": "MES",
    "AF-HER": "HRT",
}


def badge_prefix(province: str) -> str:
    """The prefix of a base access badge issued in ``province``."""
    return _BADGE_PREFIXES.get(province, "FOB")
